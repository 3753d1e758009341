/**
 * A real OpenID Connect provider (oidc-provider 9) on 127.0.0.1 for tests, with its
 * development login and consent forms. Any login name signs in as the identity of that name.
 */
import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export type TestIdentity = {
  email: string;
  email_verified: boolean;
  given_name?: string;
  family_name?: string;
  preferred_username?: string;
};

export type TestProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Identities by login name (the subject); set them before signing in. */
  identities: Map<string, TestIdentity>;
  /** Registers the client with its redirect URI; call once the editor's URL is known. */
  registerClient(redirectUri: string): void;
  close(): Promise<void>;
};

export async function startTestProvider(): Promise<TestProvider> {
  let handler: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  const server = createServer((request, response) => {
    if (!handler) {
      response.statusCode = 503;
      response.end("provider not configured yet");
      return;
    }
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const identities = new Map<string, TestIdentity>();
  const clientId = "results-platform";
  const clientSecret = "test-client-secret-0123456789";
  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    format: "jwk",
  });

  return {
    issuer,
    clientId,
    clientSecret,
    identities,
    registerClient(redirectUri) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: [redirectUri],
            grant_types: ["authorization_code"],
            response_types: ["code"],
          },
        ],
        claims: {
          openid: ["sub"],
          email: ["email", "email_verified"],
          profile: ["given_name", "family_name", "preferred_username"],
        },
        cookies: { keys: ["test-cookie-key-0123456789"] },
        jwks: { keys: [signingKey] },
        ttl: { AccessToken: 600, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
        features: { devInteractions: { enabled: true } },
        findAccount: async (_context: unknown, subject: string) => ({
          accountId: subject,
          claims: async () => ({ sub: subject, ...identities.get(subject) }),
        }),
      });
      handler = provider.callback();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
