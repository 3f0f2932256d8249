-- A least-privilege PostgreSQL role for n8n workflows that write with the Postgres node instead of
-- the ingest API: INSERT and UPDATE on ad_spend and orders, and SELECT on those two tables only
-- because PostgreSQL requires it for an upsert (ON CONFLICT ... DO UPDATE SET x = EXCLUDED.x
-- reads the row it replaces). Nothing else: no users, tokens, credentials, other tables, no
-- DELETE. Idempotent; run as the database owner:
--
--   psql "$DATABASE_URL" -v password="$N8N_DB_PASSWORD" -f n8n-flows/omnitrackiq_n8n_role.sql
--
-- (`make n8n-role` does the same.) The rollups stay current through the tables' triggers, which
-- run as their owner (migration 0007). Prefer the ingest API: it validates every row, reports
-- rejected ones, and also writes customers and refunds; this role cannot.
\set ON_ERROR_STOP on
SELECT 'CREATE ROLE omnitrackiq_n8n LOGIN'
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'omnitrackiq_n8n') \gexec
ALTER ROLE omnitrackiq_n8n LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'password';
ALTER ROLE omnitrackiq_n8n SET statement_timeout = '60s';
SELECT format('GRANT CONNECT ON DATABASE %I TO omnitrackiq_n8n', current_database()) \gexec
GRANT USAGE ON SCHEMA public TO omnitrackiq_n8n;
GRANT SELECT, INSERT, UPDATE ON ad_spend, orders TO omnitrackiq_n8n;
