/** Change of e-mail address, confirmed from the new address. */
import type { Hono } from "hono";
import { z } from "zod";
import { issueLinkToken, redeemLinkToken } from "../auth/link-tokens.ts";
import { verifyPassword } from "../auth/password-hash.ts";
import { requireAccount, requireRole } from "../auth/session-middleware.ts";
import type { EditorEnv } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import { validate } from "../http/validate.ts";
import { buildLink } from "../mail/links.ts";
import { emailChangedNotice, emailChangeMail, registrationAttemptMail } from "../mail/messages.ts";
import type { EditorModule } from "../openapi/route-doc.ts";
import { findAccountByEmail, findAccountById, isUniqueViolation, setEmail } from "./account.ts";
import { emailSchema, linkTokenSchema } from "./fields.ts";

export const emailChangeBody = z.object({
  newEmail: emailSchema,
  /** Current password; required when the account has one. */
  password: z.string().max(256).optional(),
});

export const emailChangeConfirmBody = z.object({ token: linkTokenSchema });

const CHANGE_REQUESTED =
  "A confirmation link was sent to the new address; the change takes effect when it is opened.";

export const emailChangeModule: EditorModule = {
  docs: [
    {
      method: "post",
      path: "/api/account/email",
      summary: "Request a change of e-mail address; a link is mailed to the new address",
      access: "signed-in",
      body: emailChangeBody,
      success: {
        status: 202,
        description: "Request accepted",
        schema: z.object({ message: z.string() }),
      },
      errors: [
        "INVALID_INPUT",
        "INVALID_CREDENTIALS",
        "NOT_SIGNED_IN",
        "HEIGHTENED_SECURITY",
        "CSRF_REJECTED",
      ],
    },
    {
      method: "post",
      path: "/api/auth/email-change/confirm",
      summary: "Confirm a change of e-mail address with the token mailed to the new address",
      access: "public",
      body: emailChangeConfirmBody,
      success: { status: 204, description: "Address changed" },
      errors: [
        "INVALID_INPUT",
        "INVALID_TOKEN",
        "CONFLICT",
        "HEIGHTENED_SECURITY",
        "CSRF_REJECTED",
      ],
    },
  ],
  register(api: Hono<EditorEnv>) {
    api.post("/api/account/email", requireRole(), validate("json", emailChangeBody), async (c) => {
      const { db, clock, config, mailer, logger } = c.var.deps;
      const account = requireAccount(c.var.account);
      const { newEmail, password } = c.req.valid("json");
      if (account.heightenedSecurity) {
        throw new ApiError(
          "HEIGHTENED_SECURITY",
          "This account is under heightened security, so its e-mail address can be changed only by the helpdesk.",
        );
      }
      if (account.passwordHash && !(await verifyPassword(account.passwordHash, password ?? ""))) {
        throw new ApiError("INVALID_CREDENTIALS", "Wrong current password; enter it again.");
      }
      const owner = findAccountByEmail(db, newEmail);
      if (owner) {
        // Respond as for a free address, and warn that address's owner instead.
        if (owner.id !== account.id) await mailer.send(registrationAttemptMail(owner.email));
        return c.json({ message: CHANGE_REQUESTED }, 202);
      }
      const token = issueLinkToken(db, account.id, "change-email", clock(), newEmail);
      const link = buildLink(config.publicUrl, "confirmEmail", token);
      await mailer.send(emailChangeMail(newEmail, account.firstName, link));
      logger.info({ accountId: account.id }, "e-mail change requested");
      return c.json({ message: CHANGE_REQUESTED }, 202);
    });

    api.post(
      "/api/auth/email-change/confirm",
      validate("json", emailChangeConfirmBody),
      async (c) => {
        const { db, clock, mailer, logger } = c.var.deps;
        const redeemed = redeemLinkToken(db, c.req.valid("json").token, "change-email", clock());
        const account = redeemed ? findAccountById(db, redeemed.accountId) : undefined;
        if (!redeemed?.newEmail || !account) {
          throw new ApiError(
            "INVALID_TOKEN",
            "The confirmation link is invalid, used or expired; request the change again.",
          );
        }
        if (account.heightenedSecurity) {
          throw new ApiError(
            "HEIGHTENED_SECURITY",
            "This account was put under heightened security; ask the helpdesk to change its e-mail address.",
          );
        }
        try {
          setEmail(db, account.id, redeemed.newEmail, clock());
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          throw new ApiError(
            "CONFLICT",
            "The new e-mail address was taken by another account meanwhile; choose another address.",
          );
        }
        await mailer.send(emailChangedNotice(account.email, account.firstName));
        logger.info({ accountId: account.id }, "e-mail address changed");
        return c.body(null, 204);
      },
    );
  },
};
