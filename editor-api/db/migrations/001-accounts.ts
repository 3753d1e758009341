/** Accounts, single-use e-mail links, sessions, rate-limit counters and pending OIDC logins. */
export const accountsMigration = `
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  email_verified_at INTEGER,
  password_hash TEXT,
  role TEXT NOT NULL CHECK (role IN ('beneficiary', 'officer', 'helpdesk')),
  agency TEXT,
  heightened_security INTEGER NOT NULL DEFAULT 0,
  password_login_disabled INTEGER NOT NULL DEFAULT 0,
  oidc_subject TEXT UNIQUE,
  failed_login_count INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  created_at INTEGER NOT NULL,
  CHECK ((role = 'officer') = (agency IS NOT NULL))
);

CREATE TABLE account_tokens (
  id TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  purpose TEXT NOT NULL
    CHECK (purpose IN ('verify-email', 'reset-password', 'set-password', 'change-email')),
  new_email TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX account_tokens_by_account ON account_tokens (account_id, purpose);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE rate_limit_hits (
  key TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (key, window_start)
);

CREATE TABLE oidc_login_flows (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
`;
