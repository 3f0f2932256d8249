// Names and colours of the ad platforms (and "unattributed" orders) as the pages show them.

export const PLATFORM_LABELS: Record<string, string> = {
  facebook_ads: "Meta Ads",
  google_ads: "Google Ads",
  tiktok_ads: "TikTok Ads",
  unattributed: "Unattributed",
};

export const PLATFORM_COLORS: Record<string, string> = {
  facebook_ads: "var(--chart-1)",
  google_ads: "var(--chart-3)",
  tiktok_ads: "var(--chart-4)",
  unattributed: "var(--chart-2)",
};

/** "facebook_ads" → "Meta Ads"; an unknown key is shown as it is, never dropped. */
export function platformLabel(key: string): string {
  return PLATFORM_LABELS[key] ?? key;
}
