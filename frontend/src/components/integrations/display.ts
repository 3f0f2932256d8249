// The integrations page's words and rules of display: statuses, categories, frequencies, relative
// times and which roles may change what (the backend's router decides; this mirrors it).
import type { AdAccount, Integration, Provider, SyncFrequency, SyncRun } from "@/hooks/useIntegrations";
import type { components } from "@/lib/api-types";

export type Role = components["schemas"]["Role"];
export type StatusTone = "success" | "active" | "warning" | "destructive" | "muted";

export const CATEGORIES: { id: Provider["category"]; title: string; blurb: string }[] = [
  { id: "ads", title: "Ad platforms", blurb: "Spend, impressions and clicks per campaign and day." },
  { id: "store", title: "Stores", blurb: "Orders, refunds and customers: the revenue side of every metric." },
  { id: "analytics", title: "Analytics", blurb: "Sessions and conversions from your site analytics." },
];

export const PROVIDER_STATUS: Record<Provider["status"], { label: string; tone: StatusTone }> = {
  not_connected: { label: "Not connected", tone: "muted" },
  connected: { label: "Connected", tone: "success" },
  syncing: { label: "Syncing", tone: "active" },
  error: { label: "Needs attention", tone: "destructive" },
  paused: { label: "Paused", tone: "warning" },
  disconnected: { label: "Disconnected", tone: "muted" },
};

export const RUN_STATUS: Record<SyncRun["status"], { label: string; tone: StatusTone }> = {
  queued: { label: "Queued", tone: "muted" },
  running: { label: "Running", tone: "active" },
  succeeded: { label: "Succeeded", tone: "success" },
  failed: { label: "Failed", tone: "destructive" },
  cancelled: { label: "Cancelled", tone: "muted" },
};

/** Meta's account_status in words; anything but active may bring no new spend. */
export const AD_ACCOUNT_STATUS: Record<AdAccount["status"], { label: string; tone: StatusTone }> = {
  active: { label: "Active", tone: "success" },
  disabled: { label: "Disabled", tone: "destructive" },
  unsettled: { label: "Unpaid balance", tone: "warning" },
  in_review: { label: "In review", tone: "warning" },
  closed: { label: "Closed", tone: "muted" },
  other: { label: "Not active", tone: "muted" },
};

export const RUN_TRIGGER: Record<SyncRun["trigger"], string> = {
  scheduled: "Scheduled",
  manual: "Sync now",
  backfill: "Backfill",
  webhook: "Webhook",
};

export const FREQUENCIES: { minutes: SyncFrequency; label: string }[] = [
  { minutes: 15, label: "Every 15 minutes" },
  { minutes: 30, label: "Every 30 minutes" },
  { minutes: 60, label: "Every hour" },
  { minutes: 180, label: "Every 3 hours" },
  { minutes: 360, label: "Every 6 hours" },
  { minutes: 720, label: "Every 12 hours" },
  { minutes: 1440, label: "Once a day" },
];

export function frequencyLabel(minutes: SyncFrequency): string {
  return FREQUENCIES.find((f) => f.minutes === minutes)?.label ?? `Every ${minutes} minutes`;
}

/** Connect, disconnect and settings are admin+; "Sync now" is analyst+ (backend/app/api/router.cpp). */
export function canManage(role: Role | undefined): boolean {
  return role === "owner" || role === "admin";
}

export function canSync(role: Role | undefined): boolean {
  return canManage(role) || role === "analyst";
}

/** The Meta ad accounts a connection is limited to, or null when every one syncs (none chosen). */
export function chosenAdAccountIds(connection: Integration): string[] | null {
  const ids = connection.settings.ad_account_ids;
  if (!Array.isArray(ids)) return null;
  const chosen = ids.filter((id): id is string => typeof id === "string");
  return chosen.length > 0 ? chosen : null;
}

/** What the connection is called on screen: its name, else the provider's id for it. */
export function connectionName(connection: Integration): string {
  return connection.name?.trim() || connection.external_account_id;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
];

/** "5 minutes ago", "in 2 hours", "just now": the distance from `now`, for a timestamp shown beside its exact time. */
export function relativeTime(value: string, now: number, locale = "en-US"): string {
  const at = new Date(value).getTime();
  if (Number.isNaN(at)) return value;
  const seconds = Math.round((at - now) / 1000);
  if (Math.abs(seconds) < 45) return seconds <= 0 ? "just now" : "in a moment";
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(Math.round(seconds / 60), "minute");
}

/** How long a run took: "42 s", "3 min 5 s", "1 h 2 min". */
export function duration(from: string, to: string): string | null {
  const ms = new Date(to).getTime() - new Date(from).getTime();
  if (!Number.isFinite(ms) || ms < 0) return null;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ""}`;
}
