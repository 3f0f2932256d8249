-- Rollup maintenance that stays fast whatever the planner believes (measured with
-- `make bench-ingest`, docs/benchmarks.md: 5,000-order update batches after 100,000 orders were
-- loaded).
--
-- 1. The order-day recomputation reads each touched day as its own index range (orders_placed_idx:
--    account_id, placed_at). Without statistics for an account (a new installation, or a big new
--    account in a large table) the planner read all of the account's orders once per touched day
--    through a join filter: 1.27 s per batch, 0.65 s with the per-day LATERAL range.
CREATE OR REPLACE FUNCTION otq_refresh_order_days(p_account bigint, p_days date[]) RETURNS void
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
    CROSS JOIN LATERAL (
      SELECT o.* FROM orders o
       WHERE o.account_id = p_account
         AND o.placed_at >= otq_day_start(d.day, v_tz) AND o.placed_at < otq_day_start(d.day + 1, v_tz)
         AND o.cancelled_at IS NULL AND NOT o.is_test
       OFFSET 0) o  -- OFFSET 0: keep the per-day subquery as it is written
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
            CROSS JOIN LATERAL (
              SELECT o.customer_id FROM orders o
               WHERE o.account_id = p_account
                 AND o.placed_at >= otq_day_start(d.day, v_tz) AND o.placed_at < otq_day_start(d.day + 1, v_tz)
                 AND o.cancelled_at IS NULL AND NOT o.is_test AND o.customer_id IS NOT NULL
               OFFSET 0) o
        ) c
    ) x
   WHERE x.prev_day IS NOT NULL
   GROUP BY x.day, x.prev_day;
END;
$$;


-- 2. The update trigger found changed orders by joining old_rows to new_rows. PL/pgSQL keeps that
--    statement's plan for the connection's life, and a plan first made for an update that touched
--    no row (an ingest batch equal to the stored rows) is a nested loop: on a 5,000-row update it
--    compared 25 million pairs, 6.9 s per batch, until an ANALYZE of orders happened to invalidate
--    the plan. EXCEPT ALL (hashed or sorted, never pairwise) finds the same rows: the old version
--    of each order whose rollup-relevant columns changed, and its new version. CREATE OR REPLACE
--    resets a function's attributes, so migration 0007's are restated.
CREATE OR REPLACE FUNCTION otq_orders_rollup_trigger() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
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
    SELECT coalesce(array_agg(ROW(x.account_id, x.id, x.customer_id, x.placed_at)::otq_order_change), '{}')
      INTO v_changes
      FROM ((SELECT o.account_id, o.id, o.customer_id, o.placed_at, o.total_minor, o.currency, o.cancelled_at,
                    o.is_test, o.utm_source, o.utm_medium FROM old_rows o
             EXCEPT ALL
             SELECT n.account_id, n.id, n.customer_id, n.placed_at, n.total_minor, n.currency, n.cancelled_at,
                    n.is_test, n.utm_source, n.utm_medium FROM new_rows n)
            UNION ALL
            (SELECT n.account_id, n.id, n.customer_id, n.placed_at, n.total_minor, n.currency, n.cancelled_at,
                    n.is_test, n.utm_source, n.utm_medium FROM new_rows n
             EXCEPT ALL
             SELECT o.account_id, o.id, o.customer_id, o.placed_at, o.total_minor, o.currency, o.cancelled_at,
                    o.is_test, o.utm_source, o.utm_medium FROM old_rows o)) x;
  END IF;
  FOR v_account IN SELECT DISTINCT c.account_id FROM unnest(v_changes) c ORDER BY 1 LOOP
    PERFORM otq_refresh_for_orders(v_account, ARRAY(SELECT c FROM unnest(v_changes) c WHERE c.account_id = v_account));
  END LOOP;
  RETURN NULL;
END;
$$;
