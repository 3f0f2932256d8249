-- A per-account version of the metrics rollups, bumped in the same transaction as every
-- recomputation (docs/adr/0005-metrics-rollups.md). The server caches computed metrics answers
-- under (account, query, version, FX version): a cached answer is never older than the data it
-- was labelled with, and any write that changes a rollup makes the old answers unreachable.
CREATE TABLE rollup_versions (
  account_id  bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  version     bigint NOT NULL DEFAULT 0,
  changed_at  timestamptz NOT NULL DEFAULT now()
);

-- Every rollup recomputation takes this lock first; it now also bumps the version.
CREATE OR REPLACE FUNCTION otq_lock_rollups(p_account bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('otq.rollups'), (p_account % 2147483647)::integer);
  INSERT INTO rollup_versions AS v (account_id, version) VALUES (p_account, 1)
  ON CONFLICT (account_id) DO UPDATE SET version = v.version + 1, changed_at = now();
END;
$$;
