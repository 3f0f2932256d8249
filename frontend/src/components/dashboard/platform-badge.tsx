// The ad platform of a row as a small coloured label; the colour matches the charts.
import { platformLabel, PLATFORM_COLORS } from "@/lib/platforms";

export function PlatformBadge({ platform }: { platform: string }) {
  return (
    <span className="mt-0.5 inline-flex items-center gap-1.5 text-xs text-muted-foreground" data-platform={platform}>
      <span aria-hidden="true" className="size-2 rounded-full" style={{ background: PLATFORM_COLORS[platform] ?? "var(--muted-foreground)" }} />
      {platformLabel(platform)}
    </span>
  );
}
