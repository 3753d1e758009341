/** Loads the session and account of the request's cookie, and guards routes by role. */
import type { MiddlewareHandler } from "hono";
import { type Account, findAccountById, type Role } from "../accounts/account.ts";
import type { EditorEnv } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import { clearSessionCookie, readSessionCookie } from "./cookie.ts";
import { validateSessionToken } from "./sessions.ts";

/** Sets `session` and `account` on the context when the cookie contains a live session. */
export function loadSession(): MiddlewareHandler<EditorEnv> {
  return async (c, next) => {
    c.set("session", undefined);
    c.set("account", undefined);
    const token = readSessionCookie(c);
    if (token) {
      const { db, clock, config } = c.var.deps;
      const session = validateSessionToken(db, token, clock());
      const account = session ? findAccountById(db, session.accountId) : undefined;
      if (session && account) {
        c.set("session", session);
        c.set("account", account);
      } else {
        clearSessionCookie(c, config.cookieSecure);
      }
    }
    await next();
  };
}

/** Returns the signed-in account or throws 401 NOT_SIGNED_IN. */
export function requireAccount(account: Account | undefined): Account {
  if (!account) {
    throw new ApiError(
      "NOT_SIGNED_IN",
      "Not signed in, or the session has expired; sign in again.",
    );
  }
  return account;
}

/** Middleware rejecting callers who are not signed in (401) or lack every listed role (403). */
export function requireRole(...roles: Role[]): MiddlewareHandler<EditorEnv> {
  return async (c, next) => {
    const account = requireAccount(c.var.account);
    if (roles.length > 0 && !roles.includes(account.role)) {
      throw new ApiError(
        "FORBIDDEN",
        `This action needs the role ${roles.join(" or ")}; your account has the role ${account.role}.`,
      );
    }
    await next();
  };
}
