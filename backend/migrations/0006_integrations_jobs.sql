-- Integrations and the sync engine: connection settings, the job queue, per-stream sync cursors
-- and single-use OAuth states (docs/adr/0006-job-queue.md, docs/integrations.md).

-- Integrations ----------------------------------------------------------------------------------

-- How often the scheduler syncs a connection, and when it is next due. `status` keeps its four
-- values: pending (credentials stored, never synced), active, error (needs the user: a revoked
-- token, a wrong key), disconnected (credentials deleted, history kept).
ALTER TABLE integrations
  ADD COLUMN sync_frequency_minutes integer NOT NULL DEFAULT 60
    CHECK (sync_frequency_minutes IN (15, 30, 60, 180, 360, 720, 1440)),
  ADD COLUMN next_sync_at timestamptz,
  ADD COLUMN last_error_at timestamptz,
  ADD COLUMN connected_by bigint REFERENCES users (id) ON DELETE SET NULL,
  ADD COLUMN connected_at timestamptz,
  ADD COLUMN disconnected_at timestamptz,
  ADD CONSTRAINT integrations_credentials_pair CHECK ((credentials_ciphertext IS NULL) = (credentials_key_id IS NULL));
-- The scheduler's question: which connections are due?
CREATE INDEX integrations_due_idx ON integrations (next_sync_at) WHERE status IN ('pending', 'active');

-- Sync runs record which job attempt they belong to; a run's counters are written as it goes.
ALTER TABLE sync_runs ADD COLUMN job_id bigint, ADD COLUMN attempt integer;

-- Where each stream of a connection stopped (an `updated_at`, a page cursor, a date). Written in
-- the same transaction as the rows it covers, so a killed sync resumes exactly where it committed.
CREATE TABLE sync_cursors (
  account_id      bigint NOT NULL,
  integration_id  bigint NOT NULL,
  stream          text NOT NULL CHECK (char_length(stream) BETWEEN 1 AND 64),
  cursor          jsonb NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, integration_id, stream),
  FOREIGN KEY (account_id, integration_id) REFERENCES integrations (account_id, id) ON DELETE CASCADE
);

-- OAuth --------------------------------------------------------------------------------------------

-- One row per connect attempt. The `state` sent to the provider is signed and carries the nonce;
-- the callback consumes the row (used_at) so a state works once, for its user and account only.
CREATE TABLE oauth_states (
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  id          bigint GENERATED ALWAYS AS IDENTITY,
  nonce_hash  bytea NOT NULL UNIQUE CHECK (octet_length(nonce_hash) = 32),
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  provider    text NOT NULL,
  shop        text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX oauth_states_expires_idx ON oauth_states (expires_at);

-- The job queue ---------------------------------------------------------------------------------

-- Jobs are taken with FOR UPDATE SKIP LOCKED, so any number of worker processes share the queue.
-- A taken job carries a lease (lease_token, locked_until); a worker that dies stops renewing it
-- and the job is retried once the lease lapses. `unique_key` (e.g. "sync:<integration>") allows
-- one queued-or-running job per key. After max_attempts failures a job is 'dead' (kept for an
-- operator to read and retry).
CREATE TABLE jobs (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id    bigint REFERENCES accounts (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{0,63}$'),
  unique_key    text CHECK (unique_key IS NULL OR char_length(unique_key) BETWEEN 1 AND 200),
  payload       jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(payload) = 'object'),
  status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'dead', 'cancelled')),
  priority      smallint NOT NULL DEFAULT 0,
  attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts  integer NOT NULL DEFAULT 5 CHECK (max_attempts BETWEEN 1 AND 100),
  run_at        timestamptz NOT NULL DEFAULT now(),
  lease_token   text,
  locked_by     text,
  locked_until  timestamptz,
  last_error    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  started_at    timestamptz,
  finished_at   timestamptz,
  CHECK ((status = 'running') = (lease_token IS NOT NULL AND locked_until IS NOT NULL))
);
CREATE UNIQUE INDEX jobs_unique_active_idx ON jobs (unique_key) WHERE status IN ('queued', 'running');
-- Workers take the most urgent ready job; reapers look for lapsed leases.
CREATE INDEX jobs_ready_idx ON jobs (priority DESC, run_at) WHERE status = 'queued';
CREATE INDEX jobs_lease_idx ON jobs (locked_until) WHERE status = 'running';
CREATE INDEX jobs_account_idx ON jobs (account_id, created_at DESC);


-- Batch writers (ingest API, connectors) take the account's rollup lock before their first write,
-- so two batches of one account queue instead of deadlocking in the rollup triggers. Unlike
-- otq_lock_rollups it does not bump the data version: a batch that changes nothing leaves the
-- metrics cache valid. The triggers still call otq_lock_rollups (re-entrant) when they recompute.
CREATE FUNCTION otq_lock_rollups_for_write(p_account bigint) RETURNS void
LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(hashtext('otq.rollups'), (p_account % 2147483647)::integer);
$$;
