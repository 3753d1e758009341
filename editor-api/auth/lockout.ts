/** Account lockout: 5 wrong passwords in a row lock sign-in for 15 minutes. */

import type { Account } from "../accounts/account.ts";
import type { Database } from "../db/database.ts";
import { prepared } from "../db/statements.ts";
import { ApiError } from "../http/errors.ts";

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
