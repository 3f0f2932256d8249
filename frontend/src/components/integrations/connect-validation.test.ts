// The connect forms' checks agree with the server's: what they accept, how they normalise, what they refuse.
import { describe, expect, it } from "vitest";

import { normalizeShop, normalizeStoreUrl, shopError, wooCommerceErrors } from "./connect-validation";

describe("normalizeShop", () => {
  it("accepts the forms people paste and returns the myshopify.com domain", () => {
    expect(normalizeShop("my-store.myshopify.com")).toBe("my-store.myshopify.com");
    expect(normalizeShop("  https://My-Store.myshopify.com/ ")).toBe("my-store.myshopify.com");
    expect(normalizeShop("my-store")).toBe("my-store.myshopify.com");
  });

  it("refuses anything that is not a myshopify.com shop", () => {
    for (const bad of ["my-store.com", "-store.myshopify.com", "http://my-store.myshopify.com", "a.b.myshopify.com.evil.io", ""]) {
      expect(normalizeShop(bad)).toBeNull();
    }
    expect(shopError("")).toMatch(/Enter/);
    expect(shopError("shop.example.com")).toMatch(/myshopify.com/);
    expect(shopError("my-store.myshopify.com")).toBeUndefined();
  });
});

describe("WooCommerce checks", () => {
  const key = `ck_${"0123456789".repeat(4)}`;
  const secret = `cs_${"abcdef0123".repeat(4)}`;

  it("accepts a public https store with well-formed keys", () => {
    expect(wooCommerceErrors({ storeUrl: "https://Shop.Example.com/", consumerKey: key, consumerSecret: secret })).toEqual({});
    expect(normalizeStoreUrl("https://Shop.Example.com/")).toBe("https://shop.example.com");
  });

  it("refuses plain http, private hosts, ports and malformed keys", () => {
    for (const url of ["http://shop.example.com", "https://localhost", "https://10.0.0.1", "https://shop.local", "https://shop.example.com:8443"]) {
      expect(normalizeStoreUrl(url)).toBeNull();
    }
    const errors = wooCommerceErrors({ storeUrl: "http://shop.example.com", consumerKey: "ck_123", consumerSecret: key });
    expect(Object.keys(errors).sort()).toEqual(["consumerKey", "consumerSecret", "storeUrl"]);
  });
});
