/** Creation of officer and helpdesk accounts, shared by the helpdesk route and the CLI. */
import { issueLinkToken } from "../auth/link-tokens.ts";
import type { EditorDeps } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import { buildLink } from "../mail/links.ts";
import { setPasswordMail } from "../mail/messages.ts";
import {
  type Account,
  findAccountByEmail,
  findAccountById,
  findAccountByUsername,
  insertAccount,
  isUniqueViolation,
} from "./account.ts";

export type StaffAccountInput = {
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  role: "officer" | "helpdesk";
  agency: string | null;
  /** Argon2id hash when the password is known already (CLI); otherwise a link is mailed. */
  passwordHash?: string;
};

/**
 * Inserts a staff account with a verified address (the helpdesk vouches for it). Without a
 * password hash, mails the owner a set-password link and returns that link.
 */
export async function createStaffAccount(
  deps: EditorDeps,
  input: StaffAccountInput,
): Promise<{ account: Account; setPasswordLink: string | undefined }> {
  const { db, clock, config, mailer } = deps;
  if (findAccountByUsername(db, input.username)) {
    throw new ApiError("CONFLICT", `Username "${input.username}" is taken; choose another one.`);
  }
  if (findAccountByEmail(db, input.email)) {
    throw new ApiError(
      "CONFLICT",
      `An account already uses ${input.email}; change that account's role instead of creating one.`,
    );
  }

  const now = clock();
  let id: number;
  try {
    id = insertAccount(
      db,
      { ...input, passwordHash: input.passwordHash ?? null, emailVerified: true },
      now,
    );
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ApiError("CONFLICT", "The username or e-mail address was taken meanwhile.");
    }
    throw error;
  }

  const account = findAccountById(db, id);
  if (!account) throw new Error(`account ${id} missing right after insert`);
  if (input.passwordHash) return { account, setPasswordLink: undefined };

  const token = issueLinkToken(db, id, "set-password", now);
  const link = buildLink(config.publicUrl, "setPassword", token);
  await mailer.send(setPasswordMail(account.email, account.firstName, account.role, link));
  return { account, setPasswordLink: link };
}
