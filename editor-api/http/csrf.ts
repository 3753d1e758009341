/**
 * CSRF defence for writes (POST, PUT, PATCH, DELETE) under /api/.
 *
 * Every write must come from the public origin: `Origin` (or, when a browser leaves it out,
 * `Referer`) must match PUBLIC_URL's origin. A write carrying a valid session cookie must
 * also carry the session's synchronizer token, in the `X-CSRF-Token` header or, for HTML
 * forms, a `_csrf` form field. `GET /api/session` returns that token.
 */
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import type { Context, MiddlewareHandler } from "hono";
import type { EditorEnv } from "./context.ts";
import { ApiError } from "./errors.ts";

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

function requestOrigin(c: Context): string | undefined {
  const origin = c.req.header("origin");
  if (origin && origin !== "null") return origin;
  const referer = c.req.header("referer");
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

async function submittedToken(c: Context): Promise<string | undefined> {
  const header = c.req.header("x-csrf-token");
  if (header) return header;
  const type = c.req.header("content-type") ?? "";
  if (!FORM_TYPES.some((formType) => type.startsWith(formType))) return undefined;
  const form = await c.req.parseBody();
  const field = form._csrf;
  return typeof field === "string" ? field : undefined;
}

function tokensEqual(a: string, b: string): boolean {
  const encoder = new TextEncoder();
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  return left.length === right.length && constantTimeEqual(left, right);
}

/** Runs after the session middleware, so `c.var.session` is set when a cookie signed in. */
export function csrfProtection(): MiddlewareHandler<EditorEnv> {
  return async (c, next) => {
    if (!WRITE_METHODS.has(c.req.method)) return next();
    const expectedOrigin = c.var.deps.config.publicUrl.origin;
    const origin = requestOrigin(c);
    if (origin !== expectedOrigin) {
      const shown = origin ?? "no Origin or Referer header";
      throw new ApiError(
        "CSRF_REJECTED",
        `Write request rejected: its origin (${shown}) is not ${expectedOrigin}. Send it from the editor's own pages.`,
      );
    }
    const session = c.var.session;
    if (session) {
      const token = await submittedToken(c);
      if (!token || !tokensEqual(token, session.csrfToken)) {
        throw new ApiError(
          "CSRF_REJECTED",
          "Write request rejected: the CSRF token is missing or does not match the session. Send the csrfToken from GET /api/session in the X-CSRF-Token header or a _csrf form field.",
        );
      }
    }
    return next();
  };
}
