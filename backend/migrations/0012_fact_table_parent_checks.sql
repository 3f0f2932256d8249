-- The fact tables' foreign keys are checked once per statement instead of once per row
-- (docs/adr/0011-statement-level-parent-checks.md).
--
-- ad_spend and orders are written in batches of thousands of rows. A foreign key checks each row
-- with its own locking query (RI_FKey_check_ins: SELECT 1 ... FOR KEY SHARE): in a 5,000-row batch
-- that was 10,000-15,000 queries, 9 µs of a spend row's 22 µs and 13 µs of an order's 67 µs.
-- The same guarantee holds with one check per statement over its transition table: the distinct
-- parents are locked FOR KEY SHARE in key order (a concurrent delete of a parent waits, as it does
-- for a foreign key), and a missing parent fails the statement with foreign_key_violation (23503).
-- The ON DELETE actions the foreign keys carried become triggers on the parent tables.
-- order_refunds keeps its foreign keys: refunds are few and written by order.

ALTER TABLE ad_spend
  DROP CONSTRAINT ad_spend_account_id_fkey,
  DROP CONSTRAINT ad_spend_account_id_integration_id_fkey;
ALTER TABLE orders
  DROP CONSTRAINT orders_account_id_fkey,
  DROP CONSTRAINT orders_account_id_customer_id_fkey,
  DROP CONSTRAINT orders_account_id_integration_id_fkey;

-- The parents of the rows a statement wrote: accounts, integrations and (orders) customers.
-- SECURITY DEFINER: a direct writer (the n8n role) may write facts without any right on the
-- parent tables, as a foreign key's own check runs as the table owner.
CREATE FUNCTION otq_check_fact_parents() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_missing text;
BEGIN
  PERFORM 1 FROM accounts a
   WHERE a.id IN (SELECT DISTINCT n.account_id FROM new_rows n)
   ORDER BY a.id FOR KEY SHARE;
  SELECT format('account %s', n.account_id) INTO v_missing
    FROM (SELECT DISTINCT account_id FROM new_rows) n
   WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = n.account_id) LIMIT 1;

  IF v_missing IS NULL THEN
    PERFORM 1 FROM integrations i
     WHERE (i.account_id, i.id) IN (SELECT DISTINCT n.account_id, n.integration_id FROM new_rows n
                                     WHERE n.integration_id IS NOT NULL)
     ORDER BY i.account_id, i.id FOR KEY SHARE;
    SELECT format('integration %s of account %s', n.integration_id, n.account_id) INTO v_missing
      FROM (SELECT DISTINCT account_id, integration_id FROM new_rows WHERE integration_id IS NOT NULL) n
     WHERE NOT EXISTS (SELECT 1 FROM integrations i WHERE i.account_id = n.account_id AND i.id = n.integration_id)
     LIMIT 1;
  END IF;

  IF v_missing IS NULL AND TG_TABLE_NAME = 'orders' THEN
    PERFORM 1 FROM customers c
     WHERE (c.account_id, c.id) IN (SELECT DISTINCT n.account_id, n.customer_id FROM new_rows n
                                     WHERE n.customer_id IS NOT NULL)
     ORDER BY c.account_id, c.id FOR KEY SHARE;
    -- (Planned only when reached: ad_spend's rows have no customer_id.)
    SELECT format('customer %s of account %s', n.customer_id, n.account_id) INTO v_missing
      FROM (SELECT DISTINCT account_id, customer_id FROM new_rows WHERE customer_id IS NOT NULL) n
     WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.account_id = n.account_id AND c.id = n.customer_id)
     LIMIT 1;
  END IF;

  IF v_missing IS NOT NULL THEN
    RAISE EXCEPTION 'insert or update on table "%" references a missing %', TG_TABLE_NAME, v_missing
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;

-- A transition table serves one event per trigger, hence one trigger for inserts and one for updates.
CREATE TRIGGER ad_spend_parents_insert AFTER INSERT ON ad_spend
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_check_fact_parents();
CREATE TRIGGER ad_spend_parents_update AFTER UPDATE ON ad_spend
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_check_fact_parents();
CREATE TRIGGER orders_parents_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_check_fact_parents();
CREATE TRIGGER orders_parents_update AFTER UPDATE ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_check_fact_parents();

-- ON DELETE CASCADE from accounts. BEFORE the account row goes, so its orders are gone before the
-- customers' own cascade would set their customer_id to NULL one order at a time.
CREATE FUNCTION otq_delete_account_facts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  DELETE FROM orders WHERE account_id = OLD.id;
  DELETE FROM ad_spend WHERE account_id = OLD.id;
  RETURN OLD;
END;
$$;
CREATE TRIGGER accounts_delete_facts BEFORE DELETE ON accounts
  FOR EACH ROW EXECUTE FUNCTION otq_delete_account_facts();

-- ON DELETE SET NULL (integration_id) from integrations.
CREATE FUNCTION otq_detach_integration_facts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE ad_spend s SET integration_id = NULL
    FROM old_rows d WHERE s.account_id = d.account_id AND s.integration_id = d.id;
  UPDATE orders o SET integration_id = NULL
    FROM old_rows d WHERE o.account_id = d.account_id AND o.integration_id = d.id;
  RETURN NULL;
END;
$$;
CREATE TRIGGER integrations_detach_facts AFTER DELETE ON integrations
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_detach_integration_facts();

-- ON DELETE SET NULL (customer_id) from customers.
CREATE FUNCTION otq_detach_customer_orders() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE orders o SET customer_id = NULL
    FROM old_rows d WHERE o.account_id = d.account_id AND o.customer_id = d.id;
  RETURN NULL;
END;
$$;
CREATE TRIGGER customers_detach_orders AFTER DELETE ON customers
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION otq_detach_customer_orders();
