/**
 * Error codes of the editorial routes. `ApiError` takes its status from the shared table in
 * `http/errors.ts`, which lacks these codes, so `EditorialError` carries its own status and still
 * reaches the app's error handler as an `ApiError`. The modules declare the table as their
 * `errorStatus`, so the OpenAPI document lists the codes too.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError, type ErrorCode } from "../http/errors.ts";
import type { Decision } from "../workflow/lifecycle.ts";

export const EDITORIAL_ERROR_STATUS = {
  VERSION_REQUIRED: 428,
  VERSION_CONFLICT: 409,
  INVALID_STATE: 409,
  SUBMISSION_NOT_OPEN: 409,
  PROJECT_LOCKED: 409,
  PROJECT_BUSY: 503,
  COMMENT_REQUIRED: 400,
  RESULT_NOT_FOUND: 404,
  EDITOR_CANNOT_APPROVE: 403,
  CARD_INVALID: 422,
  CARD_FILE_INVALID: 500,
  FILE_TOO_LARGE: 413,
  FILE_TYPE_NOT_ALLOWED: 415,
  IMAGE_INVALID: 422,
  UPLOAD_INTERRUPTED: 400,
  UPLOAD_TIMEOUT: 408,
} as const satisfies Record<string, ContentfulStatusCode>;

export type EditorialErrorCode = keyof typeof EDITORIAL_ERROR_STATUS;

/** An editorial failure with a stable code and the status that code always has. */
export class EditorialError extends ApiError {
  readonly #status: ContentfulStatusCode;

  constructor(
    code: EditorialErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    // The cast lets the shared error handler and `errorResponse` carry a code they do not list.
    super(code as unknown as ErrorCode, message, { details, headers });
    this.#status = EDITORIAL_ERROR_STATUS[code];
  }

  override get status(): ContentfulStatusCode {
    return this.#status;
  }
}

/** The 404 for a project that does not exist or that the caller may not see. */
export function projectNotFound(projectId: string): ApiError {
  return new ApiError(
    "NOT_FOUND",
    `No project ${projectId} is visible to this account; check the identifier or ask helpdesk for access.`,
  );
}

/**
 * Turns a rejected workflow decision into the API error. NOT_AUTHORISED becomes 404 so that a
 * project's existence is not revealed; a role that may never take the action gets 403.
 */
export function decisionError(decision: Decision & { ok: false }, projectId: string): ApiError {
  const { code, message, details } = decision;
  switch (code) {
    case "NOT_AUTHORISED":
      return projectNotFound(projectId);
    case "ACTION_NOT_ALLOWED":
      return new ApiError("FORBIDDEN", `${capitalise(message)}.`, { details });
    default:
      return new EditorialError(code, `${capitalise(message)}.`, details);
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
