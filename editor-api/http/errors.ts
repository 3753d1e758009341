/**
 * API errors as data: every failure leaves the server as
 * `{ "error": { "code", "message", "issues"? } }` with one fixed HTTP status per code.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Stable error codes and the HTTP status each one always has. */
export const ERROR_STATUS = {
  INVALID_INPUT: 400,
  INVALID_TOKEN: 400,
  OIDC_FAILED: 400,
  NOT_SIGNED_IN: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_REJECTED: 403,
  EMAIL_NOT_VERIFIED: 403,
  PASSWORD_LOGIN_DISABLED: 403,
  HEIGHTENED_SECURITY: 403,
  OIDC_EMAIL_NOT_VERIFIED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  OIDC_NOT_CONFIGURED: 503,
  INSUFFICIENT_STORAGE: 507,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** One problem with one input field; `path` follows zod's issue path. */
export type Issue = { path: (string | number)[]; code: string; message: string };

export type ErrorBody = {
  error: { code: ErrorCode; message: string; issues?: Issue[]; [detail: string]: unknown };
};

/** A failure a handler throws on purpose; `onApiError` turns it into the JSON error body. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly issues: Issue[] | undefined;
  /** Extra fields for the error body, such as `unlockAt` on ACCOUNT_LOCKED. */
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      issues?: Issue[];
      details?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.issues = options.issues;
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }

  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code];
  }
}

/** Builds the JSON response for an `ApiError`. */
export function errorResponse(c: Context, error: ApiError): Response {
  const body: ErrorBody = {
    error: { code: error.code, message: error.message, ...error.details },
  };
  if (error.issues) body.error.issues = error.issues;
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.json(body, error.status);
}

/**
 * Error codes that mean the disk or the quota is full: file-system codes, PostgreSQL's SQLSTATE
 * 53100 (disk_full), and SQLITE_FULL, which `node:sqlite` reports as `errcode` 13.
 */
const STORAGE_FULL_CODES = new Set(["ENOSPC", "EDQUOT", "53100", "SQLITE_FULL"]);
const SQLITE_FULL_ERRCODE = 13;

/**
 * Returns INSUFFICIENT_STORAGE when `error`, or an error in its `cause` chain, is a full disk or
 * quota, and undefined otherwise.
 */
export function storageFullError(error: unknown): ApiError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const { code, errcode } = current as { code?: string; errcode?: number };
    const reason = errcode === SQLITE_FULL_ERRCODE ? "SQLITE_FULL" : code;
    if (reason !== undefined && STORAGE_FULL_CODES.has(reason)) {
      return new ApiError(
        "INSUFFICIENT_STORAGE",
        `The server's disk is full (${reason}), so the request failed; try again later and tell the helpdesk if it persists.`,
      );
    }
    current = current.cause;
  }
  return undefined;
}
