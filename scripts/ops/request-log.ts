/**
 * Access log middleware: one JSON line per request with the method, the path, the status and
 * the duration. The query string and the headers (cookies, authorization) are never logged,
 * because verification and reset links carry their tokens in the query string.
 */
import type { HttpBindings } from "@hono/node-server";
import type { MiddlewareHandler } from "hono";

export interface RequestLogger {
  info: (object: object, message?: string) => void;
}

/** Max path length kept in a log line, in characters. Longer paths are cut. */
const MAX_LOGGED_PATH = 200;

/**
 * Returns the status sent. Handlers that write to the Node response themselves (the dashboards)
 * return a placeholder response marked `x-hono-already-sent`, so their status is read from Node.
 */
function sentStatus(response: Response, env: unknown): number {
  if (response.headers.get("x-hono-already-sent") !== "true") return response.status;
  return (env as Partial<HttpBindings> | undefined)?.outgoing?.statusCode ?? response.status;
}

/** Creates the middleware. Register it first, so that the duration covers every other handler. */
export function requestLog(logger: RequestLogger): MiddlewareHandler {
  return async function logRequest(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const path = c.req.path;
      logger.info(
        {
          method: c.req.method,
          route: path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}…` : path,
          status: sentStatus(c.res, c.env),
          // Time until the response headers were ready, not until the last byte was sent.
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        },
        "request",
      );
    }
  };
}
