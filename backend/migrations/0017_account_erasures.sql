-- Data rights (issue 9): an account erased by its owner leaves no tenant row behind, so the record
-- that it happened lives outside the tenant tables. It names the account and the person by their
-- public ids only (no email, no name) and counts what was erased.
CREATE TABLE account_erasures (
  account_public_id  text PRIMARY KEY CHECK (account_public_id ~ '^acct_[0-9A-Za-z]{22}$'),
  erased_by          text NOT NULL CHECK (char_length(erased_by) BETWEEN 1 AND 200),  -- usr_… or "operator:<name>"
  request_id         text,
  rows_erased        jsonb NOT NULL CHECK (jsonb_typeof(rows_erased) = 'object'),
  erased_at          timestamptz NOT NULL DEFAULT now()
);
