/** OpenID Connect relying party configuration (openid-client 6), discovered once per app. */
import * as client from "openid-client";
import type { OidcConfig } from "../config.ts";

function isLocalHttp(url: URL): boolean {
  return url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

/**
 * Returns a function that discovers the provider on first use and caches the result. A failed
 * discovery is not cached, so the next sign-in retries it. Plain HTTP is allowed only for an
 * issuer on the loopback address (a provider run by the tests or a developer).
 */
export function oidcConfigurationLoader(oidc: OidcConfig): () => Promise<client.Configuration> {
  let pending: Promise<client.Configuration> | undefined;
  return () => {
    if (!pending) {
      const execute = isLocalHttp(oidc.issuer) ? [client.allowInsecureRequests] : [];
      pending = client
        .discovery(oidc.issuer, oidc.clientId, oidc.clientSecret, undefined, { execute })
        .catch((error: unknown) => {
          pending = undefined;
          throw error;
        });
    }
    return pending;
  };
}
