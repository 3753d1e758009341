/** Single-use, expiring tokens sent in e-mail links, stored as SHA-256 hashes. */
import type { Database } from "../db/database.ts";
import { prepared } from "../db/statements.ts";
import { generateToken, hashToken } from "./tokens.ts";

export type LinkPurpose = "verify-email" | "reset-password" | "set-password" | "change-email";

const HOUR = 60 * 60_000;

/** How long each kind of link works. */
export const LINK_LIFETIME_MS: Record<LinkPurpose, number> = {
  "verify-email": 24 * HOUR,
  "reset-password": HOUR,
  "set-password": 72 * HOUR,
  "change-email": 24 * HOUR,
};

/**
 * Creates a link token for an account, replacing earlier unused ones of the same purpose so
 * only the latest link works. Returns the token in clear for the e-mail.
 */
export function issueLinkToken(
  db: Database,
  accountId: number,
  purpose: LinkPurpose,
  now: Date,
  newEmail: string | null = null,
): string {
  const token = generateToken();
  prepared(db, "DELETE FROM account_tokens WHERE account_id = ? AND purpose = ?").run(
    accountId,
    purpose,
  );
  prepared(
    db,
    `INSERT INTO account_tokens (id, account_id, purpose, new_email, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(
    hashToken(token),
    accountId,
    purpose,
    newEmail,
    now.getTime(),
    now.getTime() + LINK_LIFETIME_MS[purpose],
  );
  return token;
}

export type RedeemedToken = { accountId: number; newEmail: string | null };

/** Looks up a live token of this purpose without using it up. */
export function peekLinkToken(
  db: Database,
  token: string,
  purpose: LinkPurpose,
  now: Date,
): RedeemedToken | undefined {
  const row = prepared(
    db,
    "SELECT account_id, new_email FROM account_tokens WHERE id = ? AND purpose = ? AND expires_at > ?",
  ).get(hashToken(token), purpose, now.getTime());
  if (!row) return undefined;
  return { accountId: Number(row.account_id), newEmail: (row.new_email as string | null) ?? null };
}

/**
 * Uses up a token: deletes it and returns its account when it had this purpose and had not
 * expired. Deleting first makes a second use fail even when two requests race.
 */
export function redeemLinkToken(
  db: Database,
  token: string,
  purpose: LinkPurpose,
  now: Date,
): RedeemedToken | undefined {
  const row = prepared(db, "DELETE FROM account_tokens WHERE id = ? RETURNING *").get(
    hashToken(token),
  );
  if (!row || row.purpose !== purpose || Number(row.expires_at) <= now.getTime()) return undefined;
  return { accountId: Number(row.account_id), newEmail: (row.new_email as string | null) ?? null };
}
