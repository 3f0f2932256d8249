// Test data for the integrations page: a session, the provider catalogue as the server lists it, and connections.
import type { Integration, Provider } from "@/hooks/useIntegrations";
import type { components } from "@/lib/api-types";

type Me = components["schemas"]["Me"];
type Role = components["schemas"]["Role"];

export function me(role: Role = "owner"): Me {
  const account = {
    id: "acct_hLpIrIZyNberuvYzY0Sp7u",
    name: "Acme",
    timezone: "America/New_York",
    currency: "USD",
    plan: "starter" as const,
    role,
  };
  return { user: { id: "usr_xgfALJs28E4MOmmvGlOZ7U", email: "ada@example.com", name: "Ada" }, account, role, accounts: [account] };
}

export function connection(overrides: Partial<Integration> = {}): Integration {
  return {
    id: "int_AAAAAAAAAAAAAAAAAAAAAA",
    provider: "facebook_ads",
    external_account_id: "10150000000000001",
    name: "Ada Lovelace",
    status: "connected",
    settings: {},
    sync_frequency_minutes: 60,
    last_synced_at: "2026-11-27T14:05:00Z",
    last_error: null,
    paused_reason: null,
    last_error_at: null,
    next_sync_at: "2026-11-27T15:05:00Z",
    pending_sync: null,
    connected_at: "2026-11-01T10:00:00Z",
    disconnected_at: null,
    created_at: "2026-11-01T10:00:00Z",
    ...overrides,
  };
}

function provider(p: Pick<Provider, "provider" | "label" | "category"> & Partial<Provider>): Provider {
  return { auth: "oauth", available: true, configured: true, syncs: false, status: "not_connected", connections: [], ...p };
}

/** The server's catalogue: Meta and Shopify set up, WooCommerce by keys, the rest coming soon. */
export function catalogue(overrides: Partial<Record<string, Partial<Provider>>> = {}): Provider[] {
  return [
    provider({ provider: "facebook_ads", label: "Meta Ads", category: "ads", syncs: true, ...overrides.facebook_ads }),
    provider({ provider: "shopify", label: "Shopify", category: "store", ...overrides.shopify }),
    provider({ provider: "google_ads", label: "Google Ads", category: "ads", available: false, configured: false, ...overrides.google_ads }),
    provider({ provider: "tiktok_ads", label: "TikTok Ads", category: "ads", available: false, configured: false }),
    provider({ provider: "ga4", label: "Google Analytics 4", category: "analytics", available: false, configured: false }),
    provider({ provider: "woocommerce", label: "WooCommerce", category: "store", auth: "api_key", ...overrides.woocommerce }),
  ];
}
