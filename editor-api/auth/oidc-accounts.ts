/** Finds or creates the account for an identity confirmed by the OpenID Connect provider. */

import {
  type Account,
  findAccountByEmail,
  findAccountById,
  findAccountByOidcSubject,
  findAccountByUsername,
  insertAccount,
  linkOidcSubject,
  markEmailVerified,
} from "../accounts/account.ts";
import type { Database } from "../db/database.ts";
import { ApiError } from "../http/errors.ts";

export type OidcIdentity = {
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  givenName: string | undefined;
  familyName: string | undefined;
  preferredUsername: string | undefined;
};

/** Picks a free username (letters and digits, at most 32) from the identity's names. */
function freeUsername(db: Database, identity: OidcIdentity): string {
  const source = identity.preferredUsername ?? identity.email?.split("@")[0] ?? "user";
  const base = source.replace(/[^A-Za-z0-9]/g, "").slice(0, 26) || "user";
  if (!findAccountByUsername(db, base)) return base;
  for (let suffix = 2; suffix < 1_000_000; suffix++) {
    const candidate = `${base}${suffix}`;
    if (!findAccountByUsername(db, candidate)) return candidate;
  }
  throw new Error(`no free username found for the base ${base}`);
}

/**
 * Returns the account linked to the identity. An identity seen for the first time is linked to
 * the account with the same e-mail address only when the provider marks the address as
 * verified. Without such an account, a beneficiary account is created.
 */
export function accountForIdentity(
  db: Database,
  identity: OidcIdentity,
  now: Date,
): { account: Account; created: boolean; linked: boolean } {
  const subjectKey = `${identity.issuer} ${identity.subject}`;
  const known = findAccountByOidcSubject(db, subjectKey);
  if (known) return { account: known, created: false, linked: false };
  if (!identity.email || !identity.emailVerified) {
    throw new ApiError(
      "OIDC_EMAIL_NOT_VERIFIED",
      "The identity provider did not confirm a verified e-mail address for this identity, so it cannot be linked to an account. Verify the address at the provider and sign in again.",
    );
  }
  const owner = findAccountByEmail(db, identity.email);
  if (owner) {
    linkOidcSubject(db, owner.id, subjectKey);
    markEmailVerified(db, owner.id, now);
    const linked = findAccountById(db, owner.id) ?? owner;
    return { account: linked, created: false, linked: true };
  }
  const id = insertAccount(
    db,
    {
      username: freeUsername(db, identity),
      firstName: identity.givenName ?? "",
      lastName: identity.familyName ?? "",
      email: identity.email,
      passwordHash: null,
      role: "beneficiary",
      agency: null,
      emailVerified: true,
      oidcSubject: subjectKey,
    },
    now,
  );
  const account = findAccountById(db, id);
  if (!account) throw new Error(`account ${id} missing right after insert`);
  return { account, created: true, linked: true };
}
