-- Authentication support: throttling, invitations, password resets, the mail outbox.

-- Tokens issued before this moment are refused: changing or resetting a password ends the
-- other sessions. NULL until the first change.
ALTER TABLE users ADD COLUMN password_changed_at timestamptz;

-- Every login and signup attempt, for throttling across all server processes. Not tenant data:
-- a failed login for an unknown email belongs to no account. Rows older than a day are useless
-- and may be deleted by the worker.
CREATE TABLE auth_attempts (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('login', 'signup', 'password_reset')),
  email_normalized text NOT NULL,
  ip               inet,
  succeeded        boolean NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_attempts_email_ip_idx ON auth_attempts (kind, email_normalized, ip, created_at) WHERE NOT succeeded;
CREATE INDEX auth_attempts_ip_idx ON auth_attempts (kind, ip, created_at);

CREATE TABLE invitations (
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  id           bigint GENERATED ALWAYS AS IDENTITY,
  public_id    text NOT NULL UNIQUE CHECK (public_id ~ '^inv_[0-9A-Za-z]{22}$'),
  email        text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 320),
  role         text NOT NULL CHECK (role IN ('owner', 'admin', 'analyst', 'viewer')),
  -- SHA-256 of the single-use token mailed to the invitee; the token itself is never stored.
  token_hash   bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
  invited_by   bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  accepted_at  timestamptz,
  revoked_at   timestamptz,
  PRIMARY KEY (account_id, id)
);
CREATE UNIQUE INDEX invitations_pending_email_idx ON invitations (account_id, lower(email))
  WHERE accepted_at IS NULL AND revoked_at IS NULL;

CREATE TABLE password_resets (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash  bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);

-- Mail to send. Written in the same transaction as the change that causes it, so a mail is
-- never sent for a rolled-back change nor lost for a committed one. A sender drains it.
CREATE TABLE outbox_emails (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  to_email    text NOT NULL,
  subject     text NOT NULL,
  body_text   text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz
);
CREATE INDEX outbox_emails_unsent_idx ON outbox_emails (created_at) WHERE sent_at IS NULL;

-- Hashes made by other bcrypt implementations ($2a$ from bcryptjs, $2y$ from PHP) verify too,
-- so users imported from another system can log in; new hashes are always $2b$.
ALTER TABLE users DROP CONSTRAINT users_password_hash_check;
ALTER TABLE users ADD CONSTRAINT users_password_hash_check
  CHECK (password_hash IS NULL OR password_hash ~ '^\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}$');
