-- Billing (issue 6): each account's Stripe customer, the Stripe time each stored subscription
-- state comes from (so late or repeated webhooks never move it backwards), client accounts, and
-- integrations a plan no longer covers (kept, not synced).

ALTER TABLE accounts
  ADD COLUMN stripe_customer_id text UNIQUE CHECK (stripe_customer_id ~ '^cus_[0-9A-Za-z_]+$'),
  -- The account a client account was created from (an agency); its plan limits how many it has.
  ADD COLUMN parent_account_id bigint REFERENCES accounts (id) ON DELETE SET NULL,
  ADD CONSTRAINT accounts_not_own_parent CHECK (parent_account_id IS DISTINCT FROM id);
CREATE INDEX accounts_parent_idx ON accounts (parent_account_id) WHERE parent_account_id IS NOT NULL;

ALTER TABLE subscriptions
  ADD COLUMN stripe_price_id text,
  ADD COLUMN billing_interval text CHECK (billing_interval IN ('month', 'year')),
  -- Stripe's `created` of the event (or the time of the fetch) this row's state was read from.
  ADD COLUMN state_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN trial_end timestamptz;

-- true: connected, kept, shown, but not synced, because the plan covers fewer connections of its
-- kind (recomputed whenever the plan or the set of connections changes).
ALTER TABLE integrations ADD COLUMN paused_by_plan boolean NOT NULL DEFAULT false;
