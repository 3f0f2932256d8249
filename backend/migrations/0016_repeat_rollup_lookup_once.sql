-- The repeat-customer rollup looked up each customer's previous order day twice per touched day:
-- the planner copied the lookup into the IS NOT NULL filter and again into the grouping key. An
-- OFFSET 0 keeps the subquery whole, so the lookup runs once (EXPLAIN ANALYZE of a 5,000-order
-- batch: SubPlan 2 and SubPlan 4, both executed 5,110 times).
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
       OFFSET 0  -- each customer's previous order day found once, not again for the filter
    ) x
   WHERE x.prev_day IS NOT NULL
   GROUP BY x.day, x.prev_day;
END;
$$;
