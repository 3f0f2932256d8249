-- Direct SQL writers (the optional least-privilege n8n role, n8n-flows/omnitrackiq_n8n_role.sql)
-- may INSERT and UPDATE ad_spend and orders and nothing else. Two things make that possible:

-- 1. The rollup triggers run as their owner, so a writer needs no rights on the rollup tables,
--    accounts or FX rates. They only recompute rollups from the rows themselves; a fixed
--    search_path keeps a caller from substituting objects.
ALTER FUNCTION otq_orders_rollup_trigger() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION otq_refunds_rollup_trigger() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION otq_spend_rollup_trigger() SECURITY DEFINER SET search_path = public, pg_temp;

-- 2. An order inserted without a public id gets an opaque one, as the application makes them:
--    "ord_" and 22 characters of [0-9A-Za-z] from 32 random bytes (gen_random_uuid is core).
CREATE FUNCTION otq_new_public_id(prefix text) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  alphabet constant text := '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  bytes bytea := decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex');
  out text := prefix || '_';
  b integer;
BEGIN
  -- Rejection sampling: bytes >= 248 are skipped so every character is equally likely.
  FOR i IN 0 .. length(bytes) - 1 LOOP
    b := get_byte(bytes, i);
    IF b < 248 THEN
      out := out || substr(alphabet, (b % 62) + 1, 1);
      EXIT WHEN length(out) = length(prefix) + 23;
    END IF;
  END LOOP;
  IF length(out) < length(prefix) + 23 THEN
    RETURN otq_new_public_id(prefix);  -- 1 in ~10^9: too many rejected bytes; draw again
  END IF;
  RETURN out;
END;
$$;
ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT otq_new_public_id('ord');
