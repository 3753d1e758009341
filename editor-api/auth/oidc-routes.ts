/**
 * Single sign-on through an OpenID Connect provider: authorization code flow with PKCE, with
 * `state` and `nonce` checked on return.
 */
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import type { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import * as client from "openid-client";
import type { EditorEnv } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import type { EditorModule } from "../openapi/route-doc.ts";
import { setSessionCookie } from "./cookie.ts";
import { accountForIdentity, type OidcIdentity } from "./oidc-accounts.ts";
import { oidcConfigurationLoader } from "./oidc-client.ts";
import { OIDC_FLOW_LIFETIME_MS, saveOidcFlow, takeOidcFlow } from "./oidc-flows.ts";
import { createSession, deleteSession } from "./sessions.ts";
import { generateToken } from "./tokens.ts";

const FLOW_COOKIE = "editor_oidc_flow";
const FLOW_COOKIE_PATH = "/api/auth/oidc";
const CALLBACK_PATH = "/api/auth/oidc/callback";

function sameText(a: string, b: string): boolean {
  const encoder = new TextEncoder();
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  return left.length === right.length && constantTimeEqual(left, right);
}

function oidcFailed(message: string): ApiError {
  return new ApiError("OIDC_FAILED", `Single sign-on failed: ${message} Start the sign-in again.`);
}

function identityFrom(
  issuer: string,
  claims: Record<string, unknown>,
  subject: string,
): OidcIdentity {
  const text = (name: string) =>
    typeof claims[name] === "string" ? (claims[name] as string) : undefined;
  return {
    issuer,
    subject,
    email: text("email"),
    emailVerified: claims.email_verified === true,
    givenName: text("given_name"),
    familyName: text("family_name"),
    preferredUsername: text("preferred_username"),
  };
}

/** Builds the SSO routes. Without OIDC settings, both return 503 OIDC_NOT_CONFIGURED. */
export function oidcModule(): EditorModule {
  let loader: (() => Promise<client.Configuration>) | undefined;

  return {
    docs: [
      {
        method: "get",
        path: "/api/auth/oidc/start",
        summary: "Redirect to the identity provider to sign in",
        access: "public",
        success: { status: 302, description: "Redirect to the provider's authorization endpoint" },
        errors: ["OIDC_NOT_CONFIGURED", "OIDC_FAILED"],
      },
      {
        method: "get",
        path: "/api/auth/oidc/callback",
        summary: "Return from the identity provider; signs in and redirects to the site",
        access: "public",
        success: { status: 302, description: "Signed in; redirect to PUBLIC_URL" },
        errors: ["OIDC_NOT_CONFIGURED", "OIDC_FAILED", "OIDC_EMAIL_NOT_VERIFIED"],
      },
    ],
    register(api: Hono<EditorEnv>) {
      const configuration = (c: { var: EditorEnv["Variables"] }) => {
        const oidc = c.var.deps.config.oidc;
        if (!oidc) {
          throw new ApiError(
            "OIDC_NOT_CONFIGURED",
            "Single sign-on is not set up on this server; sign in with a password, or set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.",
          );
        }
        loader ??= oidcConfigurationLoader(oidc);
        return loader().catch((error: unknown) => {
          c.var.deps.logger.error({ err: error }, "OIDC discovery failed");
          throw oidcFailed("the identity provider could not be reached.");
        });
      };

      api.get("/api/auth/oidc/start", async (c) => {
        const { db, clock, config } = c.var.deps;
        const oidcConfig = await configuration(c);
        const flowId = generateToken();
        const flow = {
          state: client.randomState(),
          nonce: client.randomNonce(),
          codeVerifier: client.randomPKCECodeVerifier(),
        };
        saveOidcFlow(db, flowId, flow, clock());
        setCookie(c, FLOW_COOKIE, flowId, {
          httpOnly: true,
          secure: config.cookieSecure,
          sameSite: "Lax",
          path: FLOW_COOKIE_PATH,
          maxAge: OIDC_FLOW_LIFETIME_MS / 1000,
        });
        const url = client.buildAuthorizationUrl(oidcConfig, {
          redirect_uri: new URL(CALLBACK_PATH, config.publicUrl).toString(),
          scope: "openid email profile",
          code_challenge: await client.calculatePKCECodeChallenge(flow.codeVerifier),
          code_challenge_method: "S256",
          state: flow.state,
          nonce: flow.nonce,
        });
        return c.redirect(url.toString(), 302);
      });

      api.get(CALLBACK_PATH, async (c) => {
        const { db, clock, config, logger } = c.var.deps;
        const oidcConfig = await configuration(c);
        const flowId = getCookie(c, FLOW_COOKIE);
        deleteCookie(c, FLOW_COOKIE, { path: FLOW_COOKIE_PATH, secure: config.cookieSecure });
        const flow = flowId ? takeOidcFlow(db, flowId, clock()) : undefined;
        if (!flow) throw oidcFailed("no sign-in was started in this browser, or it expired.");
        const returnedState = c.req.query("state") ?? "";
        if (!sameText(returnedState, flow.state)) {
          logger.warn("OIDC callback rejected: state mismatch");
          throw oidcFailed("the state parameter does not match the sign-in started here.");
        }
        // openid-client checks the response against the registered redirect URI, so rebuild
        // the public URL of this request (the server may sit behind a proxy).
        const currentUrl = new URL(CALLBACK_PATH, config.publicUrl);
        currentUrl.search = new URL(c.req.url).search;
        let identity: OidcIdentity;
        try {
          const tokens = await client.authorizationCodeGrant(oidcConfig, currentUrl, {
            pkceCodeVerifier: flow.codeVerifier,
            expectedState: flow.state,
            expectedNonce: flow.nonce,
          });
          const idClaims = tokens.claims();
          if (!idClaims) throw new Error("the provider returned no ID token");
          let claims: Record<string, unknown> = { ...idClaims };
          if (claims.email === undefined && oidcConfig.serverMetadata().userinfo_endpoint) {
            const userInfo = await client.fetchUserInfo(
              oidcConfig,
              tokens.access_token,
              idClaims.sub,
            );
            claims = { ...userInfo, ...claims };
          }
          identity = identityFrom(oidcConfig.serverMetadata().issuer, claims, idClaims.sub);
        } catch (error) {
          logger.warn({ err: error }, "OIDC code exchange failed");
          throw oidcFailed("the identity provider's response failed verification.");
        }
        const result = accountForIdentity(db, identity, clock());
        if (c.var.session) deleteSession(db, c.var.session.id);
        const { token } = createSession(db, result.account.id, clock());
        setSessionCookie(c, token, config.cookieSecure);
        logger.info(
          { accountId: result.account.id, created: result.created, linked: result.linked },
          "signed in through single sign-on",
        );
        return c.redirect(new URL("/", config.publicUrl).toString(), 302);
      });
    },
  };
}
