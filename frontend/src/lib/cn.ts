// cn(): joins class names, skipping falsy ones, so variants compose without string juggling.
export type ClassValue = string | false | null | undefined;

export function cn(...classes: ClassValue[]): string {
  return classes.filter(Boolean).join(" ");
}
