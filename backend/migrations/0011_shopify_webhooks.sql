-- Shopify webhook deliveries, verified (HMAC over the raw body) before they are stored. The id
-- Shopify gives each delivery (X-Shopify-Webhook-Id) makes a repeated one a no-op. The payload is
-- kept only until every connection of the shop has applied it (jobs_pending reaches 0), so a
-- customer's data does not linger here.
CREATE TABLE shopify_webhooks (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  webhook_id    text NOT NULL UNIQUE CHECK (char_length(webhook_id) BETWEEN 1 AND 200),
  shop_domain   text NOT NULL CHECK (char_length(shop_domain) BETWEEN 1 AND 255),
  topic         text NOT NULL CHECK (topic ~ '^[a-z_]{1,50}/[a-z_]{1,50}$'),
  payload       jsonb CHECK (payload IS NULL OR jsonb_typeof(payload) = 'object'),
  jobs_pending  integer NOT NULL DEFAULT 0 CHECK (jobs_pending >= 0),
  received_at   timestamptz NOT NULL DEFAULT now(),
  processed_at  timestamptz,
  outcome       text
);
CREATE INDEX shopify_webhooks_received_idx ON shopify_webhooks (received_at);
