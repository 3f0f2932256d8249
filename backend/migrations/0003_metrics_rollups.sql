-- Daily rollups for the metrics engine (docs/adr/0005-metrics-rollups.md).
--
-- Dashboards read these instead of a year of raw orders. They are keyed by the account's local
-- calendar day and kept equal to a recomputation from raw rows by statement-level triggers on
-- orders, order_refunds and ad_spend: whatever writes those tables (ingest API, connectors, n8n
-- through SQL, psql) keeps them current in the same transaction. A trigger recomputes only the
-- days a statement touched, under a per-account advisory lock so concurrent writers cannot
-- interleave their recomputations. Bulk loaders may `SET LOCAL otq.defer_rollups = 'on'` and call
-- otq_rebuild_rollups(account) before committing. Changing an account's time zone rebuilds it.

-- Decimal places of a currency's minor unit (ISO 4217); 2 unless listed.
CREATE FUNCTION otq_currency_exponent(code char(3)) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN code IN ('BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV',
                  'XAF', 'XOF', 'XPF') THEN 0
    WHEN code IN ('BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND') THEN 3
    WHEN code IN ('CLF', 'UYW') THEN 4
    ELSE 2
  END
$$;

-- The paid channel an order came from, by its UTM tags: an ad platform, or 'unattributed'
-- (organic, direct, email, referral, unknown). docs/metrics.md lists the recognised sources.
CREATE FUNCTION otq_channel(utm_source text, utm_medium text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN lower(btrim(coalesce(utm_medium, ''))) IN ('organic', 'referral', 'email', 'e-mail', 'sms', 'newsletter')
      THEN 'unattributed'
    WHEN lower(btrim(coalesce(utm_source, ''))) IN ('facebook', 'fb', 'meta', 'instagram', 'ig', 'facebook_ads',
                                                    'messenger', 'audience_network', 'an')
      THEN 'facebook_ads'
    WHEN lower(btrim(coalesce(utm_source, ''))) IN ('google', 'adwords', 'google_ads', 'googleads', 'youtube',
                                                    'gdn', 'pmax')
      THEN 'google_ads'
    WHEN lower(btrim(coalesce(utm_source, ''))) IN ('tiktok', 'tiktok_ads', 'tiktokads', 'tt')
      THEN 'tiktok_ads'
    ELSE 'unattributed'
  END
$$;

-- The instant a local calendar day starts in time zone `tz` (DST-correct: 23- and 25-hour days).
CREATE FUNCTION otq_day_start(d date, tz text) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT d::timestamp AT TIME ZONE tz
$$;

-- Units of `p_to` per unit of `p_from` on day `p_day`: the latest published rate at most 7 days
-- old (markets close at weekends), direct or inverted. NULL when there is none: never guessed.
CREATE FUNCTION otq_fx_rate(p_day date, p_from char(3), p_to char(3)) RETURNS numeric
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN p_from = p_to THEN 1::numeric ELSE (
    SELECT x.rate FROM (
      SELECT f.date, f.rate FROM fx_rates f
       WHERE f.base = p_from AND f.quote = p_to AND f.date BETWEEN p_day - 7 AND p_day
      UNION ALL
      SELECT f.date, 1 / f.rate FROM fx_rates f
       WHERE f.base = p_to AND f.quote = p_from AND f.date BETWEEN p_day - 7 AND p_day
    ) x ORDER BY x.date DESC LIMIT 1)
  END
$$;

-- `amount` minor units of `p_from` in minor units of `p_to` at `rate`, rounded half away from zero.
CREATE FUNCTION otq_convert_minor(amount numeric, p_from char(3), p_to char(3), rate numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT round(amount * rate * power(10::numeric, otq_currency_exponent(p_to) - otq_currency_exponent(p_from)))
$$;

CREATE INDEX fx_rates_pair_idx ON fx_rates (base, quote, date);

-- A customer's orders in time order: finds first orders and the previous order day (and serves
-- the customer foreign key, so it replaces orders_customer_idx: one index less to maintain on the
-- hottest insert path).
CREATE INDEX orders_customer_placed_idx ON orders (account_id, customer_id, placed_at, id);
DROP INDEX orders_customer_idx;
-- Dashboards read the rollups now; a day's recomputation reads its orders through
-- orders_placed_idx (it needs the UTM columns from the heap anyway), so the covering index on
-- counted orders only costs inserts.
DROP INDEX orders_counted_placed_idx;
-- The orders list sorts by total and finds an order by its number (a year of a large store is a
-- million orders: without these, sorting took 4.5 s and a search 1 s).
CREATE INDEX orders_total_idx ON orders (account_id, total_minor, id);
CREATE INDEX orders_number_idx ON orders (account_id, order_number);

-- Counted orders (not cancelled, not test) per local day, channel and order currency.
-- new_customers: customers whose first counted order ever is one of these orders.
CREATE TABLE rollup_orders_daily (
  account_id     bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  day            date NOT NULL,
  channel        text NOT NULL,
  currency       char(3) NOT NULL,
  orders         bigint NOT NULL,
  revenue_minor  bigint NOT NULL,
  new_customers  bigint NOT NULL,
  PRIMARY KEY (account_id, day, channel, currency)
);

-- Refunds of counted orders per local day of the refund, channel of the order, refund currency.
CREATE TABLE rollup_refunds_daily (
  account_id     bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  day            date NOT NULL,
  channel        text NOT NULL,
  currency       char(3) NOT NULL,
  refunds        bigint NOT NULL,
  refund_minor   bigint NOT NULL,
  PRIMARY KEY (account_id, day, channel, currency)
);

-- Repeat purchases: `customers` customers ordered on `day` and, before it, last on `prev_day`.
-- Returning customers of [a, b] = sum(customers) over day in [a, b] and prev_day < a: each such
-- customer is counted once, on their first order day inside the range.
CREATE TABLE rollup_repeat_daily (
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  day         date NOT NULL,
  prev_day    date NOT NULL,
  customers   bigint NOT NULL,
  PRIMARY KEY (account_id, day, prev_day),
  CHECK (prev_day < day)
);
-- Long ranges read few rows through this one (prev_day < a), short ranges through the key.
CREATE INDEX rollup_repeat_prev_idx ON rollup_repeat_daily (account_id, prev_day, day) INCLUDE (customers);

-- Ad spend per platform day (the ad account's own calendar day) and currency.
CREATE TABLE rollup_spend_daily (
  account_id              bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  day                     date NOT NULL,
  platform                text NOT NULL,
  currency                char(3) NOT NULL,
  spend_minor             bigint NOT NULL,
  impressions             bigint NOT NULL,
  clicks                  bigint NOT NULL,
  conversions             numeric(20, 4) NOT NULL,
  conversion_value_minor  bigint NOT NULL,
  PRIMARY KEY (account_id, day, platform, currency)
);

-- Serialises rollup maintenance per account. Each later statement of the caller sees rows that
-- concurrent writers committed while it waited (READ COMMITTED, new snapshot per statement).
CREATE FUNCTION otq_lock_rollups(p_account bigint) RETURNS void
LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(hashtext('otq.rollups'), (p_account % 2147483647)::integer)
$$;

-- Recomputes the order-side rollups of the given local days from raw rows.
CREATE FUNCTION otq_refresh_order_days(p_account bigint, p_days date[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_tz text;
BEGIN
  SELECT timezone INTO v_tz FROM accounts WHERE id = p_account;
  IF NOT FOUND OR p_days IS NULL OR cardinality(p_days) = 0 THEN
    RETURN;
  END IF;
  DELETE FROM rollup_orders_daily WHERE account_id = p_account AND day = ANY (p_days);
  DELETE FROM rollup_repeat_daily WHERE account_id = p_account AND day = ANY (p_days);

  INSERT INTO rollup_orders_daily (account_id, day, channel, currency, orders, revenue_minor, new_customers)
  SELECT p_account, d.day, otq_channel(o.utm_source, o.utm_medium), o.currency, count(*), sum(o.total_minor),
         count(*) FILTER (
           WHERE o.customer_id IS NOT NULL AND NOT EXISTS (
             SELECT 1 FROM orders p
              WHERE p.account_id = p_account AND p.customer_id = o.customer_id
                AND p.cancelled_at IS NULL AND NOT p.is_test
                AND (p.placed_at, p.id) < (o.placed_at, o.id)))
    FROM (SELECT DISTINCT unnest(p_days) AS day) d
    JOIN orders o ON o.account_id = p_account
                 AND o.placed_at >= otq_day_start(d.day, v_tz) AND o.placed_at < otq_day_start(d.day + 1, v_tz)
   WHERE o.cancelled_at IS NULL AND NOT o.is_test
   GROUP BY d.day, otq_channel(o.utm_source, o.utm_medium), o.currency;

  INSERT INTO rollup_repeat_daily (account_id, day, prev_day, customers)
  SELECT p_account, x.day, x.prev_day, count(*)
    FROM (
      SELECT c.day, (
               SELECT (max(p.placed_at) AT TIME ZONE v_tz)::date FROM orders p
                WHERE p.account_id = p_account AND p.customer_id = c.customer_id
                  AND p.cancelled_at IS NULL AND NOT p.is_test AND p.placed_at < otq_day_start(c.day, v_tz)
             ) AS prev_day
        FROM (
          SELECT DISTINCT d.day, o.customer_id
            FROM (SELECT DISTINCT unnest(p_days) AS day) d
            JOIN orders o ON o.account_id = p_account
                         AND o.placed_at >= otq_day_start(d.day, v_tz) AND o.placed_at < otq_day_start(d.day + 1, v_tz)
           WHERE o.cancelled_at IS NULL AND NOT o.is_test AND o.customer_id IS NOT NULL
        ) c
    ) x
   WHERE x.prev_day IS NOT NULL
   GROUP BY x.day, x.prev_day;
END;
$$;

-- Recomputes the refund rollups of the given local days from raw rows.
CREATE FUNCTION otq_refresh_refund_days(p_account bigint, p_days date[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_tz text;
BEGIN
  SELECT timezone INTO v_tz FROM accounts WHERE id = p_account;
  IF NOT FOUND OR p_days IS NULL OR cardinality(p_days) = 0 THEN
    RETURN;
  END IF;
  DELETE FROM rollup_refunds_daily WHERE account_id = p_account AND day = ANY (p_days);
  INSERT INTO rollup_refunds_daily (account_id, day, channel, currency, refunds, refund_minor)
  SELECT p_account, d.day, otq_channel(o.utm_source, o.utm_medium), r.currency, count(*), sum(r.amount_minor)
    FROM (SELECT DISTINCT unnest(p_days) AS day) d
    JOIN order_refunds r ON r.account_id = p_account
                        AND r.refunded_at >= otq_day_start(d.day, v_tz) AND r.refunded_at < otq_day_start(d.day + 1, v_tz)
    JOIN orders o ON o.account_id = r.account_id AND o.id = r.order_id
   WHERE o.cancelled_at IS NULL AND NOT o.is_test
   GROUP BY d.day, otq_channel(o.utm_source, o.utm_medium), r.currency;
END;
$$;

-- Recomputes the spend rollups of the given platform days from raw rows.
CREATE FUNCTION otq_refresh_spend_days(p_account bigint, p_days date[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF p_days IS NULL OR cardinality(p_days) = 0 OR NOT EXISTS (SELECT 1 FROM accounts WHERE id = p_account) THEN
    RETURN;
  END IF;
  DELETE FROM rollup_spend_daily WHERE account_id = p_account AND day = ANY (p_days);
  INSERT INTO rollup_spend_daily (account_id, day, platform, currency, spend_minor, impressions, clicks, conversions,
                                  conversion_value_minor)
  SELECT p_account, s.date, s.platform, s.currency, sum(s.spend_minor), sum(s.impressions), sum(s.clicks),
         sum(s.conversions), sum(s.conversion_value_minor)
    FROM ad_spend s
   WHERE s.account_id = p_account AND s.date = ANY (p_days)
   GROUP BY s.date, s.platform, s.currency;
END;
$$;

-- Rebuilds every rollup of one account from raw rows, set-based (the `rollups rebuild` command,
-- bulk loads, time-zone changes). Written independently of the per-day functions above, so the
-- tests that compare the two catch a mistake in either.
CREATE FUNCTION otq_rebuild_rollups(p_account bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_tz text;
BEGIN
  SELECT timezone INTO v_tz FROM accounts WHERE id = p_account;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  PERFORM otq_lock_rollups(p_account);
  DELETE FROM rollup_orders_daily WHERE account_id = p_account;
  DELETE FROM rollup_refunds_daily WHERE account_id = p_account;
  DELETE FROM rollup_repeat_daily WHERE account_id = p_account;
  DELETE FROM rollup_spend_daily WHERE account_id = p_account;

  CREATE TEMP TABLE otq_counted ON COMMIT DROP AS
  SELECT o.id, o.customer_id, o.placed_at, (o.placed_at AT TIME ZONE v_tz)::date AS day,
         otq_channel(o.utm_source, o.utm_medium) AS channel, o.currency, o.total_minor
    FROM orders o
   WHERE o.account_id = p_account AND o.cancelled_at IS NULL AND NOT o.is_test;

  INSERT INTO rollup_orders_daily (account_id, day, channel, currency, orders, revenue_minor, new_customers)
  SELECT p_account, c.day, c.channel, c.currency, count(*), sum(c.total_minor), count(f.id)
    FROM otq_counted c
    LEFT JOIN (SELECT DISTINCT ON (customer_id) id FROM otq_counted WHERE customer_id IS NOT NULL
                ORDER BY customer_id, placed_at, id) f ON f.id = c.id
   GROUP BY c.day, c.channel, c.currency;

  INSERT INTO rollup_repeat_daily (account_id, day, prev_day, customers)
  SELECT p_account, x.day, x.prev_day, count(*)
    FROM (SELECT cd.day, lag(cd.day) OVER (PARTITION BY cd.customer_id ORDER BY cd.day) AS prev_day
            FROM (SELECT DISTINCT customer_id, day FROM otq_counted WHERE customer_id IS NOT NULL) cd) x
   WHERE x.prev_day IS NOT NULL
   GROUP BY x.day, x.prev_day;

  INSERT INTO rollup_refunds_daily (account_id, day, channel, currency, refunds, refund_minor)
  SELECT p_account, (r.refunded_at AT TIME ZONE v_tz)::date, c.channel, r.currency, count(*), sum(r.amount_minor)
    FROM order_refunds r JOIN otq_counted c ON c.id = r.order_id
   WHERE r.account_id = p_account
   GROUP BY 2, 3, 4;

  INSERT INTO rollup_spend_daily (account_id, day, platform, currency, spend_minor, impressions, clicks, conversions,
                                  conversion_value_minor)
  SELECT p_account, s.date, s.platform, s.currency, sum(s.spend_minor), sum(s.impressions), sum(s.clicks),
         sum(s.conversions), sum(s.conversion_value_minor)
    FROM ad_spend s
   WHERE s.account_id = p_account
   GROUP BY s.date, s.platform, s.currency;

  DROP TABLE otq_counted;
END;
$$;

-- The rows a statement changed, reduced to what the rollups depend on.
CREATE TYPE otq_order_change AS (account_id bigint, id bigint, customer_id bigint, placed_at timestamptz);

-- Refreshes the days that changed orders touch: their own days, the next order day of each of
-- their customers (first-order and previous-day facts move there), and the days of their refunds.
CREATE FUNCTION otq_refresh_for_orders(p_account bigint, p_changes otq_order_change[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_tz text;
  v_days date[];
  v_refund_days date[];
BEGIN
  SELECT timezone INTO v_tz FROM accounts WHERE id = p_account;
  IF NOT FOUND THEN
    RETURN;  -- the account itself is being deleted; its rollups go with it
  END IF;
  PERFORM otq_lock_rollups(p_account);
  SELECT array_agg(DISTINCT x.day) INTO v_days FROM (
    SELECT (c.placed_at AT TIME ZONE v_tz)::date AS day FROM unnest(p_changes) c
    UNION ALL
    SELECT (SELECT (min(p.placed_at) AT TIME ZONE v_tz)::date FROM orders p
             WHERE p.account_id = p_account AND p.customer_id = c.customer_id
               AND p.cancelled_at IS NULL AND NOT p.is_test
               AND p.placed_at >= otq_day_start((c.placed_at AT TIME ZONE v_tz)::date + 1, v_tz))
      FROM unnest(p_changes) c WHERE c.customer_id IS NOT NULL
  ) x WHERE x.day IS NOT NULL;
  SELECT array_agg(DISTINCT (r.refunded_at AT TIME ZONE v_tz)::date) INTO v_refund_days
    FROM order_refunds r
   WHERE r.account_id = p_account AND r.order_id IN (SELECT c.id FROM unnest(p_changes) c);
  PERFORM otq_refresh_order_days(p_account, v_days);
  PERFORM otq_refresh_refund_days(p_account, v_refund_days);
END;
$$;

CREATE FUNCTION otq_orders_rollup_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_changes otq_order_change[] := '{}';
  v_account bigint;
BEGIN
  IF current_setting('otq.defer_rollups', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    SELECT coalesce(array_agg(ROW(n.account_id, n.id, n.customer_id, n.placed_at)::otq_order_change), '{}')
      INTO v_changes FROM new_rows n;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT coalesce(array_agg(ROW(o.account_id, o.id, o.customer_id, o.placed_at)::otq_order_change), '{}')
      INTO v_changes FROM old_rows o;
  ELSE
    -- Only changes the rollups depend on: a fulfilment update recomputes nothing.
    SELECT coalesce(array_agg(ch), '{}') INTO v_changes FROM (
      SELECT ROW(o.account_id, o.id, o.customer_id, o.placed_at)::otq_order_change AS ch
        FROM old_rows o JOIN new_rows n ON n.account_id = o.account_id AND n.id = o.id
       WHERE (o.placed_at, o.total_minor, o.currency, o.cancelled_at, o.is_test, o.customer_id, o.utm_source,
              o.utm_medium)
             IS DISTINCT FROM
             (n.placed_at, n.total_minor, n.currency, n.cancelled_at, n.is_test, n.customer_id, n.utm_source,
              n.utm_medium)
      UNION ALL
      SELECT ROW(n.account_id, n.id, n.customer_id, n.placed_at)::otq_order_change
        FROM old_rows o JOIN new_rows n ON n.account_id = o.account_id AND n.id = o.id
       WHERE (o.placed_at, o.total_minor, o.currency, o.cancelled_at, o.is_test, o.customer_id, o.utm_source,
              o.utm_medium)
             IS DISTINCT FROM
             (n.placed_at, n.total_minor, n.currency, n.cancelled_at, n.is_test, n.customer_id, n.utm_source,
              n.utm_medium)
    ) s;
  END IF;
  FOR v_account IN SELECT DISTINCT c.account_id FROM unnest(v_changes) c ORDER BY 1 LOOP
    PERFORM otq_refresh_for_orders(v_account, ARRAY(SELECT c FROM unnest(v_changes) c WHERE c.account_id = v_account));
  END LOOP;
  RETURN NULL;
END;
$$;

CREATE TRIGGER orders_rollup_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_orders_rollup_trigger();
CREATE TRIGGER orders_rollup_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_orders_rollup_trigger();
CREATE TRIGGER orders_rollup_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_orders_rollup_trigger();

CREATE FUNCTION otq_refunds_rollup_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_accounts bigint[] := '{}';
  v_times timestamptz[] := '{}';
  v_rows record;
BEGIN
  IF current_setting('otq.defer_rollups', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT v_accounts || coalesce(array_agg(n.account_id), '{}'), v_times || coalesce(array_agg(n.refunded_at), '{}')
      INTO v_accounts, v_times FROM new_rows n;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    SELECT v_accounts || coalesce(array_agg(o.account_id), '{}'), v_times || coalesce(array_agg(o.refunded_at), '{}')
      INTO v_accounts, v_times FROM old_rows o;
  END IF;
  FOR v_rows IN
    SELECT c.account_id, array_agg(DISTINCT (c.at AT TIME ZONE a.timezone)::date) AS days
      FROM unnest(v_accounts, v_times) AS c(account_id, at) JOIN accounts a ON a.id = c.account_id
     GROUP BY c.account_id ORDER BY c.account_id
  LOOP
    PERFORM otq_lock_rollups(v_rows.account_id);
    PERFORM otq_refresh_refund_days(v_rows.account_id, v_rows.days);
  END LOOP;
  RETURN NULL;
END;
$$;

CREATE TRIGGER order_refunds_rollup_insert AFTER INSERT ON order_refunds
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_refunds_rollup_trigger();
CREATE TRIGGER order_refunds_rollup_update AFTER UPDATE ON order_refunds
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_refunds_rollup_trigger();
CREATE TRIGGER order_refunds_rollup_delete AFTER DELETE ON order_refunds
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_refunds_rollup_trigger();

CREATE FUNCTION otq_spend_rollup_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_accounts bigint[] := '{}';
  v_days date[] := '{}';
  v_rows record;
BEGIN
  IF current_setting('otq.defer_rollups', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT v_accounts || coalesce(array_agg(n.account_id), '{}'), v_days || coalesce(array_agg(n.date), '{}')
      INTO v_accounts, v_days FROM new_rows n;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    SELECT v_accounts || coalesce(array_agg(o.account_id), '{}'), v_days || coalesce(array_agg(o.date), '{}')
      INTO v_accounts, v_days FROM old_rows o;
  END IF;
  FOR v_rows IN
    SELECT c.account_id, array_agg(DISTINCT c.day) AS days FROM unnest(v_accounts, v_days) AS c(account_id, day)
     GROUP BY c.account_id ORDER BY c.account_id
  LOOP
    PERFORM otq_lock_rollups(v_rows.account_id);
    PERFORM otq_refresh_spend_days(v_rows.account_id, v_rows.days);
  END LOOP;
  RETURN NULL;
END;
$$;

CREATE TRIGGER ad_spend_rollup_insert AFTER INSERT ON ad_spend
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_spend_rollup_trigger();
CREATE TRIGGER ad_spend_rollup_update AFTER UPDATE ON ad_spend
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_spend_rollup_trigger();
CREATE TRIGGER ad_spend_rollup_delete AFTER DELETE ON ad_spend
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_spend_rollup_trigger();

-- Local days move when the time zone does.
CREATE FUNCTION otq_accounts_timezone_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM otq_rebuild_rollups(NEW.id);
  RETURN NULL;
END;
$$;

CREATE TRIGGER accounts_timezone_rollups AFTER UPDATE OF timezone ON accounts
  FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone) EXECUTE FUNCTION otq_accounts_timezone_trigger();
