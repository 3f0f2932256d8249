// Checks the connect forms make before sending, mirroring the server's (which has the last word).

const SHOP = /^[a-z0-9][a-z0-9-]{0,59}\.myshopify\.com$/;
const STORE_HOST = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const CONSUMER_KEY = /^ck_[0-9a-f]{40}$/;
const CONSUMER_SECRET = /^cs_[0-9a-f]{40}$/;

/**
 * The shop's myshopify.com domain as the server stores it, or null. Accepts what people paste:
 * "My-Store", "my-store.myshopify.com", "https://my-store.myshopify.com/".
 */
export function normalizeShop(input: string): string | null {
  let shop = input.trim().toLowerCase();
  if (shop.startsWith("https://")) shop = shop.slice("https://".length);
  shop = shop.replace(/\/+$/, "");
  if (shop && !shop.includes(".")) shop = `${shop}.myshopify.com`;
  return SHOP.test(shop) ? shop : null;
}

export function shopError(input: string): string | undefined {
  if (!input.trim()) return "Enter your shop's myshopify.com domain.";
  if (!normalizeShop(input)) {
    return "Use the shop's myshopify.com domain, like my-store.myshopify.com (Shopify admin › Settings › Domains).";
  }
  return undefined;
}

export type WooCommerceInput = { storeUrl: string; consumerKey: string; consumerSecret: string };
export type WooCommerceErrors = Partial<Record<keyof WooCommerceInput, string>>;

/** The store URL as the server keeps it (https, lower case, no trailing slash), or null if it would refuse it. */
export function normalizeStoreUrl(input: string): string | null {
  const url = input.trim().toLowerCase().replace(/\/+$/, "");
  if (!url.startsWith("https://")) return null;
  const rest = url.slice("https://".length);
  const host = rest.split("/")[0] ?? "";
  if (host.includes(":") || host.includes("@") || !STORE_HOST.test(host)) return null;
  if (host === "localhost" || /\.(localhost|local|internal)$/.test(host)) return null;
  return url.length <= 255 ? url : null;
}

export function wooCommerceErrors(input: WooCommerceInput): WooCommerceErrors {
  const errors: WooCommerceErrors = {};
  const url = input.storeUrl.trim();
  if (!url) errors.storeUrl = "Enter your store's address.";
  else if (!url.toLowerCase().startsWith("https://")) errors.storeUrl = "The address must start with https://.";
  else if (!normalizeStoreUrl(url)) errors.storeUrl = "Use your store's public address, like https://shop.example.com.";
  if (!CONSUMER_KEY.test(input.consumerKey.trim())) {
    errors.consumerKey = "Paste the whole consumer key: ck_ and 40 characters.";
  }
  if (!CONSUMER_SECRET.test(input.consumerSecret.trim())) {
    errors.consumerSecret = "Paste the whole consumer secret: cs_ and 40 characters.";
  }
  return errors;
}
