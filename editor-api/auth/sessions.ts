/**
 * Sessions in the Lucia design: the cookie contains a random session token, and the
 * database stores its SHA-256 as the session id. A session ends after 30 minutes without use or 12 hours after
 * sign-in, whichever comes first.
 */

import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { decodeHex } from "@oslojs/encoding";
import type { Database } from "../db/database.ts";
import { prepared } from "../db/statements.ts";
import { generateToken, hashToken } from "./tokens.ts";

export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60_000;
/** Use of a session is written back at most this often, to spare a write per request. */
export const EXTENSION_INTERVAL_MS = 60_000;

export type Session = {
  /** SHA-256 of the session token, in hex. */
  id: string;
  accountId: number;
  /** Synchronizer token that writes must echo (see http/csrf.ts). */
  csrfToken: string;
  createdAt: Date;
  lastUsedAt: Date;
};

type SessionRow = {
  id: string;
  account_id: number;
  csrf_token: string;
  created_at: number;
  last_used_at: number;
};

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    accountId: row.account_id,
    csrfToken: row.csrf_token,
    createdAt: new Date(row.created_at),
    lastUsedAt: new Date(row.last_used_at),
  };
}

/** Creates a session and returns the token for the cookie with the stored session. */
export function createSession(
  db: Database,
  accountId: number,
  now: Date,
): { token: string; session: Session } {
  const token = generateToken();
  const row: SessionRow = {
    id: hashToken(token),
    account_id: accountId,
    csrf_token: generateToken(),
    created_at: now.getTime(),
    last_used_at: now.getTime(),
  };
  prepared(
    db,
    `INSERT INTO sessions (id, account_id, csrf_token, created_at, last_used_at)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(row.id, row.account_id, row.csrf_token, row.created_at, row.last_used_at);
  return { token, session: toSession(row) };
}

/** Tells when a session ends by itself if it is not used again. */
export function sessionExpiresAt(session: Session): Date {
  const idleEnd = session.lastUsedAt.getTime() + IDLE_TIMEOUT_MS;
  const absoluteEnd = session.createdAt.getTime() + ABSOLUTE_LIFETIME_MS;
  return new Date(Math.min(idleEnd, absoluteEnd));
}

/**
 * Returns the live session for a cookie token, extending its idle timeout, or undefined when
 * the token is unknown or the session has expired (an expired row is deleted).
 */
export function validateSessionToken(db: Database, token: string, now: Date): Session | undefined {
  const id = hashToken(token);
  const row = prepared(db, "SELECT * FROM sessions WHERE id = ?").get(id) as SessionRow | undefined;
  if (!row) return undefined;
  // The lookup used the id as an index key; compare again in constant time.
  if (!constantTimeEqual(decodeHex(row.id), decodeHex(id))) return undefined;
  const session = toSession(row);
  if (now.getTime() >= sessionExpiresAt(session).getTime()) {
    deleteSession(db, session.id);
    return undefined;
  }
  if (now.getTime() - session.lastUsedAt.getTime() >= EXTENSION_INTERVAL_MS) {
    prepared(db, "UPDATE sessions SET last_used_at = ? WHERE id = ?").run(
      now.getTime(),
      session.id,
    );
    session.lastUsedAt = now;
  }
  return session;
}

export function deleteSession(db: Database, sessionId: string): void {
  prepared(db, "DELETE FROM sessions WHERE id = ?").run(sessionId);
}

/** Ends every session of an account (after a password reset, or when the helpdesk tightens its security flags). */
export function deleteAccountSessions(db: Database, accountId: number): void {
  prepared(db, "DELETE FROM sessions WHERE account_id = ?").run(accountId);
}
