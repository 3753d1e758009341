/**
 * Account lockout: 5 wrong passwords in a row lock sign-in for 15 minutes. A name that matches
 * no account with a password locks the same way, so the 423 does not reveal which names exist.
 */

import type { Account } from "../accounts/account.ts";
import type { Database } from "../db/database.ts";
import { prepared } from "../db/statements.ts";
import { ApiError } from "../http/errors.ts";
import { hashToken } from "./tokens.ts";

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60_000;

/** Returns the end of the lock when the account is locked at `now`. */
export function lockedUntil(account: Account, now: Date): Date | undefined {
  if (account.lockedUntil && account.lockedUntil.getTime() > now.getTime()) {
    return account.lockedUntil;
  }
  return undefined;
}

export function accountLockedError(unlockAt: Date): ApiError {
  return new ApiError(
    "ACCOUNT_LOCKED",
    `Account is locked after ${MAX_FAILED_LOGINS} wrong passwords until ${unlockAt.toISOString()}; try again after that time.`,
    { details: { unlockAt: unlockAt.toISOString() } },
  );
}

/**
 * Counts a wrong password. Returns the unlock time when this failure locks the account; the
 * counter restarts at zero for the next lock.
 */
export function recordFailedLogin(db: Database, accountId: number, now: Date): Date | undefined {
  const row = prepared(
    db,
    "UPDATE accounts SET failed_login_count = failed_login_count + 1 WHERE id = ? RETURNING failed_login_count",
  ).get(accountId);
  if (Number(row?.failed_login_count) < MAX_FAILED_LOGINS) return undefined;
  const unlockAt = new Date(now.getTime() + LOCKOUT_MS);
  prepared(db, "UPDATE accounts SET failed_login_count = 0, locked_until = ? WHERE id = ?").run(
    unlockAt.getTime(),
    accountId,
  );
  return unlockAt;
}

export function clearFailedLogins(db: Database, accountId: number): void {
  prepared(db, "UPDATE accounts SET failed_login_count = 0, locked_until = NULL WHERE id = ?").run(
    accountId,
  );
}

/**
 * Failure counters of sign-in names that match no account with a password, keyed by the
 * SHA-256 of the lower-case name, because users sometimes type a password into the name field.
 * The statements are idempotent. `ensureNameFailureTable` runs them on first use, and the
 * migration list should run them once too.
 */
export const LOGIN_NAME_FAILURES_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS login_name_failures (
    name_hash TEXT PRIMARY KEY,
    failed_login_count INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    last_failed_at INTEGER NOT NULL
  )`,
];

const preparedDatabases = new WeakSet<Database>();

function ensureNameFailureTable(db: Database): void {
  if (preparedDatabases.has(db)) return;
  for (const statement of LOGIN_NAME_FAILURES_SCHEMA) db.exec(statement);
  preparedDatabases.add(db);
}

function nameKey(login: string): string {
  return hashToken(login.toLowerCase());
}

/** Returns the end of the lock of a sign-in name without an account, when locked at `now`. */
export function nameLockedUntil(db: Database, login: string, now: Date): Date | undefined {
  ensureNameFailureTable(db);
  const row = prepared(db, "SELECT locked_until FROM login_name_failures WHERE name_hash = ?").get(
    nameKey(login),
  );
  const until = row?.locked_until;
  if (until === null || until === undefined || Number(until) <= now.getTime()) return undefined;
  return new Date(Number(until));
}

/**
 * Counts a failed sign-in with a name that matches no account with a password, exactly as
 * `recordFailedLogin` counts one for an account. Returns the unlock time when this failure
 * locks the name.
 * NOTE: rows are never deleted, so the table grows by at most one row per failed attempt, which
 * the login rate limit bounds per client address.
 */
export function recordFailedName(db: Database, login: string, now: Date): Date | undefined {
  ensureNameFailureTable(db);
  const key = nameKey(login);
  const row = prepared(
    db,
    `INSERT INTO login_name_failures (name_hash, failed_login_count, last_failed_at)
       VALUES (?, 1, ?)
       ON CONFLICT (name_hash) DO UPDATE
         SET failed_login_count = login_name_failures.failed_login_count + 1,
             last_failed_at = excluded.last_failed_at
       RETURNING failed_login_count`,
  ).get(key, now.getTime());
  if (Number(row?.failed_login_count) < MAX_FAILED_LOGINS) return undefined;
  const unlockAt = new Date(now.getTime() + LOCKOUT_MS);
  prepared(
    db,
    "UPDATE login_name_failures SET failed_login_count = 0, locked_until = ? WHERE name_hash = ?",
  ).run(unlockAt.getTime(), key);
  return unlockAt;
}
