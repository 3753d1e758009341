/** Password sign-in, sign-out and the current session. */
import type { Hono } from "hono";
import { z } from "zod";
import {
  type Account,
  accountView,
  findAccountByEmail,
  findAccountByUsername,
} from "../accounts/account.ts";
import { sendInBackground } from "../accounts/background-mail.ts";
import type { EditorDeps, EditorEnv } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import { rateLimit } from "../http/rate-limit.ts";
import { validate } from "../http/validate.ts";
import { lockoutMail } from "../mail/messages.ts";
import type { EditorModule } from "../openapi/route-doc.ts";
import { clearSessionCookie, setSessionCookie } from "./cookie.ts";
import {
  accountLockedError,
  clearFailedLogins,
  lockedUntil,
  nameLockedUntil,
  recordFailedLogin,
  recordFailedName,
} from "./lockout.ts";
import { verifyDummyPassword, verifyPassword } from "./password-hash.ts";
import { requireAccount } from "./session-middleware.ts";
import { createSession, deleteSession, sessionExpiresAt } from "./sessions.ts";

export const loginBody = z.object({
  /** Username or e-mail address. */
  login: z.string().min(1).max(254),
  password: z.string().min(1).max(256),
});

export const sessionResponse = z.object({
  account: z.object({
    id: z.number(),
    username: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    email: z.string(),
    role: z.enum(["beneficiary", "officer", "helpdesk"]),
    agency: z.string().nullable(),
    heightenedSecurity: z.boolean(),
    passwordLoginDisabled: z.boolean(),
  }),
  csrfToken: z.string(),
  expiresAt: z.string(),
});

function invalidCredentials(): ApiError {
  return new ApiError(
    "INVALID_CREDENTIALS",
    "Wrong username or password; check both and try again.",
  );
}

/** Tells whether password sign-in is off for this account, by its own flag or for all SSO links. */
export function passwordLoginDisabled(account: Account, deps: EditorDeps): boolean {
  const disabledForSso = Boolean(deps.config.oidc?.disablePasswordLogin && account.oidcSubject);
  return account.passwordLoginDisabled || disabledForSso;
}

/**
 * Checks the password of a sign-in attempt; returns the account or throws. Every path runs one
 * argon2 verification, and a name without an account fails and locks like a wrong password, so
 * neither the response nor its time reveals whether the name has an account.
 */
async function authenticate(deps: EditorDeps, login: string, password: string): Promise<Account> {
  const { db, clock, config, logger, mailer } = deps;
  const now = clock();
  const account = login.includes("@")
    ? findAccountByEmail(db, login)
    : findAccountByUsername(db, login);
  if (!account?.passwordHash) {
    const nameLockEnd = nameLockedUntil(db, login, now);
    await verifyDummyPassword(password, config.passwordHashCost);
    if (nameLockEnd) {
      logger.info({ accountId: account?.id }, "login rejected: name locked");
      throw accountLockedError(nameLockEnd);
    }
    const unlockAt = recordFailedName(db, login, now);
    logger.info({ accountId: account?.id }, "login failed: unknown account or no password");
    if (unlockAt) throw accountLockedError(unlockAt);
    throw invalidCredentials();
  }
  const lockEnd = lockedUntil(account, now);
  // Verified even while locked, so that a locked account takes as long as any other.
  const passwordMatches = await verifyPassword(account.passwordHash, password);
  if (lockEnd) {
    logger.info({ accountId: account.id }, "login rejected: account locked");
    throw accountLockedError(lockEnd);
  }
  if (!passwordMatches) {
    const unlockAt = recordFailedLogin(db, account.id, now);
    logger.info({ accountId: account.id }, "login failed: wrong password");
    if (unlockAt) {
      logger.warn({ accountId: account.id, unlockAt }, "account locked");
      // Not awaited, so that the locking failure takes as long as one for an unknown name.
      sendInBackground(
        { mailer, logger },
        lockoutMail(account.email, account.firstName, unlockAt),
        account.id,
      );
      throw accountLockedError(unlockAt);
    }
    throw invalidCredentials();
  }
  if (passwordLoginDisabled(account, deps)) {
    logger.info({ accountId: account.id }, "login rejected: password login disabled");
    throw new ApiError(
      "PASSWORD_LOGIN_DISABLED",
      "Password sign-in is turned off for this account; sign in through single sign-on.",
    );
  }
  if (!account.emailVerified) {
    logger.info({ accountId: account.id }, "login rejected: e-mail not verified");
    throw new ApiError(
      "EMAIL_NOT_VERIFIED",
      "The account's e-mail address is not confirmed yet; open the link in the confirmation e-mail, or ask for a new one.",
    );
  }
  clearFailedLogins(db, account.id);
  return account;
}

export const loginModule: EditorModule = {
  docs: [
    {
      method: "post",
      path: "/api/auth/login",
      summary: "Sign in with username (or e-mail) and password; sets a new session cookie",
      access: "public",
      body: loginBody,
      success: { status: 200, description: "Signed in", schema: sessionResponse },
      errors: [
        "INVALID_INPUT",
        "INVALID_CREDENTIALS",
        "EMAIL_NOT_VERIFIED",
        "PASSWORD_LOGIN_DISABLED",
        "ACCOUNT_LOCKED",
        "RATE_LIMITED",
        "CSRF_REJECTED",
      ],
    },
    {
      method: "post",
      path: "/api/auth/logout",
      summary: "End the current session at once",
      access: "signed-in",
      success: { status: 204, description: "Signed out" },
      errors: ["NOT_SIGNED_IN", "CSRF_REJECTED"],
    },
    {
      method: "get",
      path: "/api/session",
      summary: "The signed-in account and the session's CSRF token",
      access: "signed-in",
      success: { status: 200, description: "Current session", schema: sessionResponse },
      errors: ["NOT_SIGNED_IN"],
    },
  ],
  register(api: Hono<EditorEnv>) {
    api.post("/api/auth/login", rateLimit("login"), validate("json", loginBody), async (c) => {
      const deps = c.var.deps;
      const { login, password } = c.req.valid("json");
      const account = await authenticate(deps, login, password);
      // A new token on every sign-in: any session the browser had before is dropped.
      if (c.var.session) deleteSession(deps.db, c.var.session.id);
      const { token, session } = createSession(deps.db, account.id, deps.clock());
      setSessionCookie(c, token, deps.config.cookieSecure);
      deps.logger.info({ accountId: account.id }, "signed in");
      return c.json({
        account: accountView(account),
        csrfToken: session.csrfToken,
        expiresAt: sessionExpiresAt(session).toISOString(),
      });
    });

    api.post("/api/auth/logout", (c) => {
      const { db, config, logger } = c.var.deps;
      const account = requireAccount(c.var.account);
      if (c.var.session) deleteSession(db, c.var.session.id);
      clearSessionCookie(c, config.cookieSecure);
      logger.info({ accountId: account.id }, "signed out");
      return c.body(null, 204);
    });

    api.get("/api/session", (c) => {
      const account = requireAccount(c.var.account);
      const session = c.var.session;
      if (!session) throw new Error("session missing for a signed-in account");
      return c.json({
        account: accountView(account),
        csrfToken: session.csrfToken,
        expiresAt: sessionExpiresAt(session).toISOString(),
      });
    });
  },
};
