/** Request body size limit, failing with 413 PAYLOAD_TOO_LARGE. */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "./errors.ts";

/** Maximum size of a JSON or form body accepted by the account routes. */
export const MAX_BODY_BYTES = 64 * 1024;

export function apiBodyLimit(maxSize: number = MAX_BODY_BYTES): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(
        "PAYLOAD_TOO_LARGE",
        `Request body is larger than ${maxSize} bytes; send a smaller body.`,
      );
    },
  });
}
