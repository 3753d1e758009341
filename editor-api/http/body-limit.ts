/** Size limit of structured request bodies, failing with 413 PAYLOAD_TOO_LARGE. */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "./errors.ts";

/** Maximum size of a JSON or form body. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Media types that handlers parse in memory: JSON (also `+json`) and HTML forms. */
const STRUCTURED =
  /^(application\/([\w.-]+\+)?json|application\/x-www-form-urlencoded|multipart\/form-data)$/i;

/**
 * Caps JSON and form bodies at `maxSize`. Other media types (raw file uploads) pass
 * untouched: the routes that accept them stream the body and enforce their own limit, and the
 * JSON validators never read them.
 */
export function apiBodyLimit(maxSize: number = MAX_BODY_BYTES): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(
        "PAYLOAD_TOO_LARGE",
        `Request body is larger than ${maxSize} bytes; send a smaller body.`,
      );
    },
  });
  return async (c, next) => {
    const mediaType = (c.req.header("content-type") ?? "").split(";")[0]?.trim() ?? "";
    if (STRUCTURED.test(mediaType)) return limit(c, next);
    await next();
  };
}
