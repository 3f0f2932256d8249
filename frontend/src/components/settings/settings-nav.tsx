// The sections of /settings, and the row of anchors to them at the top of the page.
export const SETTINGS_SECTIONS = [
  { id: "profile", label: "Profile" },
  { id: "password", label: "Password" },
  { id: "account", label: "Account" },
  { id: "team", label: "Team" },
  { id: "api-keys", label: "API keys" },
  { id: "data", label: "Your data" },
] as const;

export type SettingsSectionId = (typeof SETTINGS_SECTIONS)[number]["id"];

export function SettingsNav() {
  return (
    <nav
      aria-label="Settings sections"
      className="sticky top-0 z-10 -mx-4 border-b border-border bg-background/95 px-4 py-2 backdrop-blur sm:mx-0 sm:px-0"
    >
      <ul className="flex gap-1 overflow-x-auto">
        {SETTINGS_SECTIONS.map((section) => (
          <li key={section.id} className="shrink-0">
            <a
              href={`#${section.id}`}
              className="block rounded-md px-3 py-2 text-sm font-medium text-muted-foreground hover:bg-muted hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
            >
              {section.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
