-- The refund-day recomputation joined the day's refunds to their orders as sets. Without current
-- statistics for an account (always the case during its first backfill) the planner hashed every
-- order of the account to find the few refunded ones, once per batch: a 100,000-order sync spent
-- 27 ms on the first batch's refunds and 230 ms on the last (docs/benchmarks.md). Each refund now
-- finds its order with one primary-key probe (LATERAL ... OFFSET 0 keeps the probe as written).
CREATE OR REPLACE FUNCTION otq_refresh_refund_days(p_account bigint, p_days date[]) RETURNS void
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
    CROSS JOIN LATERAL (
      SELECT r.order_id, r.currency, r.amount_minor FROM order_refunds r
       WHERE r.account_id = p_account
         AND r.refunded_at >= otq_day_start(d.day, v_tz) AND r.refunded_at < otq_day_start(d.day + 1, v_tz)
      OFFSET 0) r
    CROSS JOIN LATERAL (
      SELECT o.utm_source, o.utm_medium FROM orders o
       WHERE o.account_id = p_account AND o.id = r.order_id AND o.cancelled_at IS NULL AND NOT o.is_test
      OFFSET 0) o
   GROUP BY d.day, otq_channel(o.utm_source, o.utm_medium), r.currency;
END;
$$;
