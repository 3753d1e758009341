/** Self-registration of beneficiaries, e-mail verification and its resend. */
import type { Hono } from "hono";
import { z } from "zod";
import { issueLinkToken, redeemLinkToken } from "../auth/link-tokens.ts";
import { hashPassword, verifyDummyPassword } from "../auth/password-hash.ts";
import { checkPasswordPolicy } from "../auth/password-policy.ts";
import type { EditorEnv } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import { rateLimit } from "../http/rate-limit.ts";
import { validate } from "../http/validate.ts";
import { buildLink } from "../mail/links.ts";
import { registrationAttemptMail, verificationMail } from "../mail/messages.ts";
import type { EditorModule } from "../openapi/route-doc.ts";
import {
  findAccountByEmail,
  findAccountByUsername,
  insertAccount,
  isUniqueViolation,
  markEmailVerified,
} from "./account.ts";
import { sendInBackground, sendOrLogFailure } from "./background-mail.ts";
import {
  emailSchema,
  linkTokenSchema,
  passwordSchema,
  personNameSchema,
  usernameSchema,
} from "./fields.ts";

export const registerBody = z.object({
  username: usernameSchema,
  firstName: personNameSchema,
  lastName: personNameSchema,
  email: emailSchema,
  password: passwordSchema,
});

export const tokenBody = z.object({ token: linkTokenSchema });
export const emailBody = z.object({ email: emailSchema });

const acceptedResponse = z.object({ message: z.string() });

const REGISTERED_MESSAGE =
  "Check your mailbox: a confirmation link was sent to the address given, and it expires in 24 hours.";

function usernameTaken(username: string): ApiError {
  return new ApiError("CONFLICT", `Username "${username}" is taken; choose another one.`, {
    issues: [{ path: ["username"], code: "taken", message: "Username is taken." }],
  });
}

export const registrationModule: EditorModule = {
  docs: [
    {
      method: "post",
      path: "/api/accounts",
      summary: "Register a beneficiary account; a confirmation link is mailed",
      access: "public",
      body: registerBody,
      success: { status: 202, description: "Registration accepted", schema: acceptedResponse },
      errors: ["INVALID_INPUT", "CONFLICT", "RATE_LIMITED", "CSRF_REJECTED"],
    },
    {
      method: "post",
      path: "/api/auth/verify-email",
      summary: "Confirm an e-mail address with the token of the confirmation link",
      access: "public",
      body: tokenBody,
      success: { status: 204, description: "Address confirmed" },
      errors: ["INVALID_INPUT", "INVALID_TOKEN", "CSRF_REJECTED"],
    },
    {
      method: "post",
      path: "/api/auth/verify-email/resend",
      summary: "Mail a new confirmation link; the response is the same for unknown addresses",
      access: "public",
      body: emailBody,
      success: { status: 202, description: "Request accepted", schema: acceptedResponse },
      errors: ["INVALID_INPUT", "RATE_LIMITED", "CSRF_REJECTED"],
    },
  ],
  register(api: Hono<EditorEnv>) {
    api.post("/api/accounts", rateLimit("register"), validate("json", registerBody), async (c) => {
      const { db, clock, config, mailer, logger } = c.var.deps;
      const input = c.req.valid("json");
      const policyIssues = checkPasswordPolicy(input.password, input);
      if (policyIssues.length > 0) {
        throw new ApiError("INVALID_INPUT", "Password rejected: see issues.", {
          issues: policyIssues,
        });
      }
      if (findAccountByUsername(db, input.username)) throw usernameTaken(input.username);
      const owner = findAccountByEmail(db, input.email);
      if (owner) {
        // Same response as a success, so the form does not reveal who has an account.
        await verifyDummyPassword(input.password, config.passwordHashCost);
        await sendOrLogFailure({ mailer, logger }, registrationAttemptMail(owner.email), owner.id);
        logger.info({ accountId: owner.id }, "registration with an existing e-mail address");
        return c.json({ message: REGISTERED_MESSAGE }, 202);
      }
      const passwordHash = await hashPassword(input.password, config.passwordHashCost);
      const now = clock();
      let accountId: number;
      try {
        accountId = insertAccount(
          db,
          { ...input, passwordHash, role: "beneficiary", agency: null, emailVerified: false },
          now,
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw usernameTaken(input.username);
        throw error;
      }
      const token = issueLinkToken(db, accountId, "verify-email", now);
      // The account is stored, so a failed mail does not fail the request. The beneficiary
      // can request a new link through /api/auth/verify-email/resend.
      await sendOrLogFailure(
        { mailer, logger },
        verificationMail(
          input.email,
          input.firstName,
          buildLink(config.publicUrl, "verifyEmail", token),
        ),
        accountId,
      );
      logger.info({ accountId }, "account registered");
      return c.json({ message: REGISTERED_MESSAGE }, 202);
    });

    api.post("/api/auth/verify-email", validate("json", tokenBody), (c) => {
      const { db, clock, logger } = c.var.deps;
      const redeemed = redeemLinkToken(db, c.req.valid("json").token, "verify-email", clock());
      if (!redeemed) {
        throw new ApiError(
          "INVALID_TOKEN",
          "The confirmation link is invalid, used or expired; ask for a new one.",
        );
      }
      markEmailVerified(db, redeemed.accountId, clock());
      logger.info({ accountId: redeemed.accountId }, "e-mail address verified");
      return c.body(null, 204);
    });

    api.post(
      "/api/auth/verify-email/resend",
      rateLimit("verificationResend"),
      validate("json", emailBody),
      async (c) => {
        const { db, clock, config, mailer, logger } = c.var.deps;
        const account = findAccountByEmail(db, c.req.valid("json").email);
        if (account && !account.emailVerified) {
          const token = issueLinkToken(db, account.id, "verify-email", clock());
          const link = buildLink(config.publicUrl, "verifyEmail", token);
          // Not awaited, so that the response time does not reveal an unverified account.
          sendInBackground(
            { mailer, logger },
            verificationMail(account.email, account.firstName, link),
            account.id,
          );
        }
        return c.json({ message: REGISTERED_MESSAGE }, 202);
      },
    );
  },
};
