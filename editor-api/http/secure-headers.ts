/** Security headers on every editor API response. */
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/**
 * API responses are JSON, so the policy allows nothing to load from them and no page to frame
 * them. HSTS is sent only when cookies are Secure, i.e. the site is served over HTTPS.
 */
export function apiSecureHeaders(secure: boolean): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
    },
    strictTransportSecurity: secure ? "max-age=31536000; includeSubDomains" : false,
    xContentTypeOptions: "nosniff",
    xFrameOptions: "DENY",
    referrerPolicy: "strict-origin-when-cross-origin",
    crossOriginResourcePolicy: "same-origin",
  });
}
