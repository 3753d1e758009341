/** Accounts as stored in the `accounts` table, and the queries on them. */
import type { Database } from "../db/database.ts";
import { isUniqueViolation as isDatabaseUniqueViolation } from "../db/errors.ts";
import { prepared } from "../db/statements.ts";

export const ROLES = ["beneficiary", "officer", "helpdesk"] as const;
export type Role = (typeof ROLES)[number];

export type Account = {
  id: number;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  emailVerified: boolean;
  /** Argon2id PHC string; null until a password is set (staff invited, SSO-created accounts). */
  passwordHash: string | null;
  role: Role;
  /** Managing agency of an officer: "EACEA" or a National Agency code such as "DE02". */
  agency: string | null;
  heightenedSecurity: boolean;
  passwordLoginDisabled: boolean;
  /** "issuer subject" of the linked OpenID Connect identity. */
  oidcSubject: string | null;
  failedLoginCount: number;
  lockedUntil: Date | null;
};

type AccountRow = {
  id: number;
  username: string;
  first_name: string;
  last_name: string;
  email: string;
  email_verified_at: number | null;
  password_hash: string | null;
  role: Role;
  agency: string | null;
  heightened_security: number;
  password_login_disabled: number;
  oidc_subject: string | null;
  failed_login_count: number;
  locked_until: number | null;
};

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    emailVerified: row.email_verified_at !== null,
    passwordHash: row.password_hash,
    role: row.role,
    agency: row.agency,
    heightenedSecurity: row.heightened_security === 1,
    passwordLoginDisabled: row.password_login_disabled === 1,
    oidcSubject: row.oidc_subject,
    failedLoginCount: row.failed_login_count,
    lockedUntil: row.locked_until === null ? null : new Date(row.locked_until),
  };
}

/** Public view of an account, as `GET /api/session` and the staff routes return it. */
export function accountView(account: Account) {
  return {
    id: account.id,
    username: account.username,
    firstName: account.firstName,
    lastName: account.lastName,
    email: account.email,
    role: account.role,
    agency: account.agency,
    heightenedSecurity: account.heightenedSecurity,
    passwordLoginDisabled: account.passwordLoginDisabled,
  };
}

function findOne(db: Database, where: string, value: string | number): Account | undefined {
  const row = prepared(db, `SELECT * FROM accounts WHERE ${where}`).get(value);
  return row ? toAccount(row as AccountRow) : undefined;
}

export function findAccountById(db: Database, id: number): Account | undefined {
  return findOne(db, "id = ?", id);
}

/** Finds an account by username, ignoring case. */
export function findAccountByUsername(db: Database, username: string): Account | undefined {
  return findOne(db, "username = ?", username);
}

/** Finds an account by e-mail address, ignoring ASCII case. */
export function findAccountByEmail(db: Database, email: string): Account | undefined {
  return findOne(db, "email = ?", email);
}

export function findAccountByOidcSubject(db: Database, subject: string): Account | undefined {
  return findOne(db, "oidc_subject = ?", subject);
}

export type NewAccount = {
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  passwordHash: string | null;
  role: Role;
  agency: string | null;
  emailVerified: boolean;
  oidcSubject?: string | null;
  passwordLoginDisabled?: boolean;
};

/** Inserts an account and returns its id; throws the database's UNIQUE error on a taken name. */
export function insertAccount(db: Database, account: NewAccount, now: Date): number {
  const result = prepared(
    db,
    `INSERT INTO accounts (username, first_name, last_name, email, email_verified_at,
         password_hash, role, agency, oidc_subject, password_login_disabled, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    account.username,
    account.firstName,
    account.lastName,
    account.email,
    account.emailVerified ? now.getTime() : null,
    account.passwordHash,
    account.role,
    account.agency,
    account.oidcSubject ?? null,
    account.passwordLoginDisabled ? 1 : 0,
    now.getTime(),
  );
  return Number(result.lastInsertRowid);
}

/** Tells whether an error is a UNIQUE constraint failure (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  return isDatabaseUniqueViolation(error);
}

export function markEmailVerified(db: Database, accountId: number, now: Date): void {
  prepared(
    db,
    "UPDATE accounts SET email_verified_at = coalesce(email_verified_at, ?) WHERE id = ?",
  ).run(now.getTime(), accountId);
}

export function setPasswordHash(db: Database, accountId: number, hash: string): void {
  prepared(
    db,
    "UPDATE accounts SET password_hash = ?, failed_login_count = 0, locked_until = NULL WHERE id = ?",
  ).run(hash, accountId);
}

export function setEmail(db: Database, accountId: number, email: string, now: Date): void {
  prepared(db, "UPDATE accounts SET email = ?, email_verified_at = ? WHERE id = ?").run(
    email,
    now.getTime(),
    accountId,
  );
}

export function linkOidcSubject(db: Database, accountId: number, subject: string): void {
  prepared(db, "UPDATE accounts SET oidc_subject = ? WHERE id = ?").run(subject, accountId);
}

export type AccountFlags = {
  heightenedSecurity?: boolean;
  passwordLoginDisabled?: boolean;
};

export function updateAccountFlags(db: Database, accountId: number, flags: AccountFlags): void {
  if (flags.heightenedSecurity !== undefined) {
    prepared(db, "UPDATE accounts SET heightened_security = ? WHERE id = ?").run(
      flags.heightenedSecurity ? 1 : 0,
      accountId,
    );
  }
  if (flags.passwordLoginDisabled !== undefined) {
    prepared(db, "UPDATE accounts SET password_login_disabled = ? WHERE id = ?").run(
      flags.passwordLoginDisabled ? 1 : 0,
      accountId,
    );
  }
}

export type AccountFilter = { role?: Role; agency?: string };

/** Lists accounts by username, optionally of one role or agency. */
export function listAccounts(db: Database, filter: AccountFilter = {}): Account[] {
  const rows = prepared(
    db,
    `SELECT * FROM accounts
       WHERE (CAST(:role AS TEXT) IS NULL OR role = :role)
         AND (CAST(:agency AS TEXT) IS NULL OR agency = :agency)
       ORDER BY username`,
  ).all({ role: filter.role ?? null, agency: filter.agency ?? null });
  return rows.map((row) => toAccount(row as AccountRow));
}
