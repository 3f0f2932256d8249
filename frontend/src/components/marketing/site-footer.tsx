// Marketing footer: the name, the year of the build, and whether the API answers.
import { ApiStatusBadge } from "@/components/marketing/api-status-badge";

export function SiteFooter() {
  return (
    <footer className="border-t border-border">
      <div className="mx-auto flex max-w-6xl flex-col gap-4 px-4 py-8 text-sm text-muted-foreground sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <p>© {new Date().getFullYear()} OmniTrackIQ</p>
        <ApiStatusBadge />
      </div>
    </footer>
  );
}
