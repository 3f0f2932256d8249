-- Daily FX rates, ready for equality joins (docs/adr/0005-metrics-rollups.md).
--
-- For each day and currency pair (both directions) the rate otq_fx_rate() returns: the latest
-- published rate at most 7 days old, direct or inverted, and `factor`, the same rate from minor
-- units to minor units (rate * 10^(exponent(quote) - exponent(base))). The metrics queries join
-- this table instead of calling otq_fx_rate() per rollup row, and convert with one multiplication.
-- A statement-level trigger on fx_rates recomputes the affected pairs and days.
-- Bumped with every change to fx_rates_daily: cached metrics answers carry the version they saw.
CREATE TABLE fx_rates_version (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version    bigint NOT NULL DEFAULT 0
);
INSERT INTO fx_rates_version DEFAULT VALUES;

CREATE TABLE fx_rates_daily (
  base   char(3) NOT NULL,
  quote  char(3) NOT NULL,
  date   date NOT NULL,
  rate   numeric NOT NULL CHECK (rate > 0),
  factor numeric NOT NULL CHECK (factor > 0),
  PRIMARY KEY (base, quote, date)
);

-- Recomputes both directions of a pair for [p_from, p_to].
CREATE FUNCTION otq_refresh_fx_daily(p_a char(3), p_b char(3), p_from date, p_to date) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('otq.fx'), hashtext(least(p_a, p_b) || greatest(p_a, p_b)));
  UPDATE fx_rates_version SET version = version + 1;
  DELETE FROM fx_rates_daily
   WHERE ((base = p_a AND quote = p_b) OR (base = p_b AND quote = p_a)) AND date BETWEEN p_from AND p_to;
  INSERT INTO fx_rates_daily (base, quote, date, rate, factor)
  SELECT x.base, x.quote, d.day, r.rate,
         r.rate * power(10::numeric, otq_currency_exponent(x.quote) - otq_currency_exponent(x.base))
    FROM (SELECT g::date AS day FROM generate_series(p_from, p_to, interval '1 day') g) d
   CROSS JOIN (VALUES (p_a, p_b), (p_b, p_a)) AS x(base, quote)
   CROSS JOIN LATERAL (SELECT otq_fx_rate(d.day, x.base, x.quote) AS rate) r
   WHERE r.rate IS NOT NULL;
END;
$$;

CREATE FUNCTION otq_fx_rates_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_bases text[] := '{}';
  v_quotes text[] := '{}';
  v_dates date[] := '{}';
  v_pair record;
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT v_bases || coalesce(array_agg(n.base::text), '{}'), v_quotes || coalesce(array_agg(n.quote::text), '{}'),
           v_dates || coalesce(array_agg(n.date), '{}')
      INTO v_bases, v_quotes, v_dates FROM new_rows n;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    SELECT v_bases || coalesce(array_agg(o.base::text), '{}'), v_quotes || coalesce(array_agg(o.quote::text), '{}'),
           v_dates || coalesce(array_agg(o.date), '{}')
      INTO v_bases, v_quotes, v_dates FROM old_rows o;
  END IF;
  FOR v_pair IN
    SELECT least(c.base, c.quote) AS a, greatest(c.base, c.quote) AS b, min(c.date) AS first_day,
           max(c.date) + 7 AS last_day
      FROM unnest(v_bases, v_quotes, v_dates) AS c(base, quote, date)
     GROUP BY 1, 2 ORDER BY 1, 2
  LOOP
    PERFORM otq_refresh_fx_daily(v_pair.a::char(3), v_pair.b::char(3), v_pair.first_day, v_pair.last_day);
  END LOOP;
  RETURN NULL;
END;
$$;

CREATE TRIGGER fx_rates_daily_insert AFTER INSERT ON fx_rates
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_fx_rates_trigger();
CREATE TRIGGER fx_rates_daily_update AFTER UPDATE ON fx_rates
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_fx_rates_trigger();
CREATE TRIGGER fx_rates_daily_delete AFTER DELETE ON fx_rates
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_fx_rates_trigger();

-- Rates loaded before this migration.
SELECT otq_refresh_fx_daily(least(base, quote), greatest(base, quote), min(date), max(date) + 7)
  FROM fx_rates GROUP BY least(base, quote), greatest(base, quote);
