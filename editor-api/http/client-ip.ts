/** Finds the client IP address of a request. */
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/**
 * Returns the address of the socket peer, or with `trustProxy` the left-most address of
 * `X-Forwarded-For` (the client as seen by the first proxy). Without a socket (requests made
 * through `app.request()` in code) the address is "unknown".
 */
export function clientIpOf(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}
