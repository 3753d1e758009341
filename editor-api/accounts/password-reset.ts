/** Forgotten password (request and confirm) and the first password of invited staff. */
import type { Hono } from "hono";
import { z } from "zod";
import {
  issueLinkToken,
  type LinkPurpose,
  peekLinkToken,
  redeemLinkToken,
} from "../auth/link-tokens.ts";
import { accountLockedError, lockedUntil } from "../auth/lockout.ts";
import { hashPassword, verifyDummyPassword } from "../auth/password-hash.ts";
import { checkPasswordPolicy } from "../auth/password-policy.ts";
import { deleteAccountSessions } from "../auth/sessions.ts";
import type { EditorEnv } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import { rateLimit } from "../http/rate-limit.ts";
import { validate } from "../http/validate.ts";
import { buildLink } from "../mail/links.ts";
import { passwordResetMail } from "../mail/messages.ts";
import type { EditorModule } from "../openapi/route-doc.ts";
import {
  findAccountByEmail,
  findAccountById,
  markEmailVerified,
  setPasswordHash,
} from "./account.ts";
import { sendInBackground } from "./background-mail.ts";
import { emailSchema, linkTokenSchema, passwordSchema } from "./fields.ts";

export const resetRequestBody = z.object({ email: emailSchema });
export const newPasswordBody = z.object({ token: linkTokenSchema, password: passwordSchema });

const RESET_REQUESTED =
  "If an account uses this address, a link to set a new password was sent to it; it expires in 1 hour.";

/**
 * Sets a new password from a link token. The token is checked and the password policy applied
 * before the token is used up, so a rejected password leaves the link working.
 */
function confirmNewPassword(purpose: LinkPurpose) {
  return async (c: import("hono").Context<EditorEnv>) => {
    const { db, clock, config, logger } = c.var.deps;
    const { token, password } = (await c.req.json()) as z.infer<typeof newPasswordBody>;
    const invalid = new ApiError(
      "INVALID_TOKEN",
      "The password link is invalid, used or expired; ask for a new one.",
    );
    const peeked = peekLinkToken(db, token, purpose, clock());
    const account = peeked ? findAccountById(db, peeked.accountId) : undefined;
    if (!account) throw invalid;
    const lockEnd = lockedUntil(account, clock());
    if (lockEnd) throw accountLockedError(lockEnd);
    const issues = checkPasswordPolicy(password, account);
    if (issues.length > 0) {
      throw new ApiError("INVALID_INPUT", "Password rejected: see issues.", { issues });
    }
    const hash = await hashPassword(password, config.passwordHashCost);
    if (!redeemLinkToken(db, token, purpose, clock())) throw invalid;
    setPasswordHash(db, account.id, hash);
    // The link arrived in the account's mailbox, which proves the address.
    markEmailVerified(db, account.id, clock());
    deleteAccountSessions(db, account.id);
    logger.info({ accountId: account.id, purpose }, "password set; all sessions ended");
    return c.body(null, 204);
  };
}

const confirmErrors = [
  "INVALID_INPUT",
  "INVALID_TOKEN",
  "ACCOUNT_LOCKED",
  "CSRF_REJECTED",
] as const;

export const passwordResetModule: EditorModule = {
  docs: [
    {
      method: "post",
      path: "/api/auth/password-reset",
      summary: "Mail a password reset link; the response is the same for unknown addresses",
      access: "public",
      body: resetRequestBody,
      success: {
        status: 202,
        description: "Request accepted",
        schema: z.object({ message: z.string() }),
      },
      errors: ["INVALID_INPUT", "RATE_LIMITED", "CSRF_REJECTED"],
    },
    {
      method: "post",
      path: "/api/auth/password-reset/confirm",
      summary: "Set a new password with a reset link token; ends every session of the account",
      access: "public",
      body: newPasswordBody,
      success: { status: 204, description: "Password changed" },
      errors: confirmErrors,
    },
    {
      method: "post",
      path: "/api/auth/set-password",
      summary: "Set the first password of a staff account with the token mailed by the helpdesk",
      access: "public",
      body: newPasswordBody,
      success: { status: 204, description: "Password set" },
      errors: confirmErrors,
    },
  ],
  register(api: Hono<EditorEnv>) {
    api.post(
      "/api/auth/password-reset",
      rateLimit("passwordReset"),
      validate("json", resetRequestBody),
      async (c) => {
        const { db, clock, config, mailer, logger } = c.var.deps;
        const account = findAccountByEmail(db, c.req.valid("json").email);
        const now = clock();
        // Every path spends the time a hash takes and none waits for the mail server, so the
        // response time does not tell who has an account. A locked account gets no link until
        // the lock ends.
        await verifyDummyPassword("no account for this address", config.passwordHashCost);
        if (account && !lockedUntil(account, now)) {
          const token = issueLinkToken(db, account.id, "reset-password", now);
          const link = buildLink(config.publicUrl, "resetPassword", token);
          sendInBackground(
            { mailer, logger },
            passwordResetMail(account.email, account.firstName, link),
            account.id,
          );
          logger.info({ accountId: account.id }, "password reset link sent");
        }
        return c.json({ message: RESET_REQUESTED }, 202);
      },
    );
    api.post(
      "/api/auth/password-reset/confirm",
      validate("json", newPasswordBody),
      confirmNewPassword("reset-password"),
    );
    api.post(
      "/api/auth/set-password",
      validate("json", newPasswordBody),
      confirmNewPassword("set-password"),
    );
  },
};
