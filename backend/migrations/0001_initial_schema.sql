-- Initial schema: the MVP data model, tenant-ready from the start.
--
-- Conventions (docs/adr/0003-migrations.md):
--  * Tenant tables carry account_id first in their primary key, so the schema can later be
--    distributed by account_id (Citus) and every dashboard query is an index range scan.
--  * bigint identity keys stay inside the database; the API shows opaque public_id strings.
--  * Money is bigint minor units plus an ISO 4217 code. Timestamps are timestamptz (UTC).
--  * Natural keys (platform + external id, or the ad-spend grain) make ETL upserts idempotent.

CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

-- Tenants --------------------------------------------------------------------------------------

CREATE TABLE accounts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id   text NOT NULL UNIQUE CHECK (public_id ~ '^acct_[0-9A-Za-z]{22}$'),
  name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  timezone    text NOT NULL DEFAULT 'UTC' CHECK (char_length(timezone) BETWEEN 1 AND 64),
  currency    char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  plan        text NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'starter', 'growth', 'agency', 'enterprise')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER accounts_updated_at BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE users (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id       text NOT NULL UNIQUE CHECK (public_id ~ '^usr_[0-9A-Za-z]{22}$'),
  email           text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 320),
  password_hash   text CHECK (password_hash IS NULL OR password_hash LIKE '$2b$%'),
  name            text CHECK (name IS NULL OR char_length(name) <= 200),
  email_verified_at timestamptz,
  last_login_at   timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
-- One user per address, whatever its case.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE memberships (
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('owner', 'admin', 'analyst', 'viewer')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, user_id)
);
-- "Which accounts may this user open?" (login, account switcher).
CREATE INDEX memberships_user_idx ON memberships (user_id);
CREATE TRIGGER memberships_updated_at BEFORE UPDATE ON memberships FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Connections to ad platforms and stores ---------------------------------------------------------

CREATE TABLE integrations (
  account_id          bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  id                  bigint GENERATED ALWAYS AS IDENTITY,
  public_id           text NOT NULL UNIQUE CHECK (public_id ~ '^int_[0-9A-Za-z]{22}$'),
  provider            text NOT NULL CHECK (provider IN ('facebook_ads', 'google_ads', 'tiktok_ads', 'shopify', 'woocommerce', 'ga4')),
  external_account_id text NOT NULL CHECK (char_length(external_account_id) BETWEEN 1 AND 255),
  display_name        text,
  status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'error', 'disconnected')),
  -- AES-256-GCM ciphertext (nonce || ciphertext || tag) of the provider tokens; key_id names the key.
  credentials_ciphertext bytea,
  credentials_key_id  text,
  settings            jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(settings) = 'object'),
  last_synced_at      timestamptz,
  last_error          text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  UNIQUE (account_id, provider, external_account_id)
);
CREATE TRIGGER integrations_updated_at BEFORE UPDATE ON integrations FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE sync_runs (
  account_id      bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  id              bigint GENERATED ALWAYS AS IDENTITY,
  public_id       text NOT NULL UNIQUE CHECK (public_id ~ '^sync_[0-9A-Za-z]{22}$'),
  integration_id  bigint NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('scheduled', 'manual', 'backfill', 'webhook')),
  status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  window_start    date,
  window_end      date,
  cursor_state    jsonb,
  rows_read       bigint NOT NULL DEFAULT 0 CHECK (rows_read >= 0),
  rows_written    bigint NOT NULL DEFAULT 0 CHECK (rows_written >= 0),
  error           text,
  queued_at       timestamptz NOT NULL DEFAULT now(),
  started_at      timestamptz,
  finished_at     timestamptz,
  PRIMARY KEY (account_id, id),
  FOREIGN KEY (account_id, integration_id) REFERENCES integrations (account_id, id) ON DELETE CASCADE,
  CHECK (finished_at IS NULL OR started_at IS NULL OR finished_at >= started_at)
);
CREATE INDEX sync_runs_integration_idx ON sync_runs (account_id, integration_id, queued_at DESC);

-- Ad spend: one row per platform campaign per day, in the ad account's currency ----------------

CREATE TABLE ad_spend (
  account_id            bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  platform              text NOT NULL CHECK (platform IN ('facebook_ads', 'google_ads', 'tiktok_ads')),
  ad_account_id         text NOT NULL,
  campaign_id           text NOT NULL,
  date                  date NOT NULL,
  integration_id        bigint,
  campaign_name         text NOT NULL DEFAULT '',
  currency              char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  spend_minor           bigint NOT NULL DEFAULT 0 CHECK (spend_minor >= 0),
  impressions           bigint NOT NULL DEFAULT 0 CHECK (impressions >= 0),
  clicks                bigint NOT NULL DEFAULT 0 CHECK (clicks >= 0),
  -- Platforms report fractional conversions (Google Ads' data-driven attribution).
  conversions           numeric(18, 4) NOT NULL DEFAULT 0 CHECK (conversions >= 0),
  conversion_value_minor bigint NOT NULL DEFAULT 0 CHECK (conversion_value_minor >= 0),
  synced_at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, platform, ad_account_id, campaign_id, date),
  FOREIGN KEY (account_id, integration_id) REFERENCES integrations (account_id, id) ON DELETE SET NULL (integration_id)
);
-- Summary and time series: all spend of an account over a date range.
CREATE INDEX ad_spend_date_idx ON ad_spend (account_id, date) INCLUDE (platform, spend_minor, currency);

-- Store data ----------------------------------------------------------------------------------

CREATE TABLE customers (
  account_id        bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  id                bigint GENERATED ALWAYS AS IDENTITY,
  platform          text NOT NULL CHECK (platform IN ('shopify', 'woocommerce', 'manual')),
  external_id       text NOT NULL,
  email             text,
  first_name        text,
  last_name         text,
  -- First order ever (any store of the account), maintained by ETL: drives new vs returning.
  first_order_at    timestamptz,
  orders_count      integer NOT NULL DEFAULT 0 CHECK (orders_count >= 0),
  created_at_source timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  UNIQUE (account_id, platform, external_id)
);
CREATE INDEX customers_email_idx ON customers (account_id, lower(email));
CREATE INDEX customers_first_order_idx ON customers (account_id, first_order_at);
CREATE TRIGGER customers_updated_at BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE orders (
  account_id          bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  id                  bigint GENERATED ALWAYS AS IDENTITY,
  public_id           text NOT NULL UNIQUE CHECK (public_id ~ '^ord_[0-9A-Za-z]{22}$'),
  platform            text NOT NULL CHECK (platform IN ('shopify', 'woocommerce', 'manual')),
  external_id         text NOT NULL,
  integration_id      bigint,
  order_number        text,
  customer_id         bigint,
  email               text,
  placed_at           timestamptz NOT NULL,
  updated_at_source   timestamptz,
  currency            char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- total = subtotal - discounts + shipping + tax, as the store reports it.
  total_minor         bigint NOT NULL CHECK (total_minor >= 0),
  subtotal_minor      bigint NOT NULL DEFAULT 0 CHECK (subtotal_minor >= 0),
  discounts_minor     bigint NOT NULL DEFAULT 0 CHECK (discounts_minor >= 0),
  shipping_minor      bigint NOT NULL DEFAULT 0 CHECK (shipping_minor >= 0),
  tax_minor           bigint NOT NULL DEFAULT 0 CHECK (tax_minor >= 0),
  financial_status    text,
  fulfillment_status  text,
  cancelled_at        timestamptz,
  is_test             boolean NOT NULL DEFAULT false,
  source_name         text,
  landing_site        text,
  referring_site      text,
  utm_source          text,
  utm_medium          text,
  utm_campaign        text,
  utm_content         text,
  utm_term            text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  UNIQUE (account_id, platform, external_id),
  FOREIGN KEY (account_id, customer_id) REFERENCES customers (account_id, id) ON DELETE SET NULL (customer_id),
  FOREIGN KEY (account_id, integration_id) REFERENCES integrations (account_id, id) ON DELETE SET NULL (integration_id)
);
-- The metrics' definition of an order (not cancelled, not a test) as a covering partial index.
CREATE INDEX orders_counted_placed_idx ON orders (account_id, placed_at)
  INCLUDE (total_minor, currency, customer_id) WHERE cancelled_at IS NULL AND NOT is_test;
-- The orders page lists every order, newest first.
CREATE INDEX orders_placed_idx ON orders (account_id, placed_at DESC, id DESC);
CREATE INDEX orders_customer_idx ON orders (account_id, customer_id);
CREATE TRIGGER orders_updated_at BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE order_refunds (
  account_id        bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  id                bigint GENERATED ALWAYS AS IDENTITY,
  order_id          bigint NOT NULL,
  platform          text NOT NULL CHECK (platform IN ('shopify', 'woocommerce', 'manual')),
  external_id       text NOT NULL,
  refunded_at       timestamptz NOT NULL,
  currency          char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount_minor      bigint NOT NULL CHECK (amount_minor >= 0),
  reason            text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  UNIQUE (account_id, platform, external_id),
  FOREIGN KEY (account_id, order_id) REFERENCES orders (account_id, id) ON DELETE CASCADE
);
-- refunds in range are counted by when they were created, not when the order was placed.
CREATE INDEX order_refunds_refunded_idx ON order_refunds (account_id, refunded_at) INCLUDE (amount_minor, currency);
CREATE INDEX order_refunds_order_idx ON order_refunds (account_id, order_id);

-- Billing --------------------------------------------------------------------------------------

CREATE TABLE subscriptions (
  account_id              bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  id                      bigint GENERATED ALWAYS AS IDENTITY,
  stripe_customer_id      text NOT NULL,
  stripe_subscription_id  text UNIQUE,
  plan                    text NOT NULL CHECK (plan IN ('free', 'starter', 'growth', 'agency', 'enterprise')),
  status                  text NOT NULL CHECK (status IN ('incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'paused')),
  current_period_end      timestamptz,
  cancel_at_period_end    boolean NOT NULL DEFAULT false,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id)
);
CREATE INDEX subscriptions_customer_idx ON subscriptions (stripe_customer_id);
CREATE TRIGGER subscriptions_updated_at BEFORE UPDATE ON subscriptions FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Stripe delivers each event at least once; the event id makes processing idempotent. The
-- account is only known after the payload is read, so this log is not keyed by account.
CREATE TABLE stripe_events (
  id            text PRIMARY KEY CHECK (id ~ '^evt_'),
  type          text NOT NULL,
  account_id    bigint REFERENCES accounts (id) ON DELETE SET NULL,
  payload       jsonb NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  processed_at  timestamptz,
  error         text
);
CREATE INDEX stripe_events_unprocessed_idx ON stripe_events (received_at) WHERE processed_at IS NULL;

-- Machine access and accountability -------------------------------------------------------------

CREATE TABLE api_keys (
  account_id      bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  id              bigint GENERATED ALWAYS AS IDENTITY,
  public_id       text NOT NULL UNIQUE CHECK (public_id ~ '^key_[0-9A-Za-z]{22}$'),
  name            text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  role            text NOT NULL CHECK (role IN ('read', 'ingest')),
  -- The key itself is shown once; only its SHA-256 is stored, plus a prefix to recognise it.
  key_hash        bytea NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),
  key_prefix      text NOT NULL,
  created_by      bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_used_at    timestamptz,
  revoked_at      timestamptz,
  PRIMARY KEY (account_id, id)
);

CREATE TABLE audit_log (
  account_id      bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  id              bigint GENERATED ALWAYS AS IDENTITY,
  actor_user_id   bigint REFERENCES users (id) ON DELETE SET NULL,
  actor_api_key_id bigint,
  action          text NOT NULL,
  target_type     text,
  target_id       text,
  request_id      text,
  ip              inet,
  user_agent      text,
  metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id)
);
CREATE INDEX audit_log_created_idx ON audit_log (account_id, created_at DESC);

-- Reference data (not tenant-owned) --------------------------------------------------------------

-- Daily FX rates: amount_in_quote = amount_in_base * rate. A missing rate is reported, never guessed.
CREATE TABLE fx_rates (
  date        date NOT NULL,
  base        char(3) NOT NULL CHECK (base ~ '^[A-Z]{3}$'),
  quote       char(3) NOT NULL CHECK (quote ~ '^[A-Z]{3}$'),
  rate        numeric(20, 10) NOT NULL CHECK (rate > 0),
  source      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (date, base, quote),
  CHECK (base <> quote)
);
