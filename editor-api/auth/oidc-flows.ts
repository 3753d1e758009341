/** Pending OpenID Connect sign-ins: state, nonce and PKCE verifier kept between the redirects. */
import type { Database } from "../db/database.ts";
import { hashToken } from "./tokens.ts";

/** Time a person has to finish signing in at the provider. */
export const OIDC_FLOW_LIFETIME_MS = 10 * 60_000;

export type OidcFlow = { state: string; nonce: string; codeVerifier: string };

/** Stores a flow under the hash of the random id kept in the browser's flow cookie. */
export function saveOidcFlow(db: Database, flowId: string, flow: OidcFlow, now: Date): void {
  db.prepare("DELETE FROM oidc_login_flows WHERE expires_at <= ?").run(now.getTime());
  db.prepare(
    `INSERT INTO oidc_login_flows (id, state, nonce, code_verifier, expires_at)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(
    hashToken(flowId),
    flow.state,
    flow.nonce,
    flow.codeVerifier,
    now.getTime() + OIDC_FLOW_LIFETIME_MS,
  );
}

/** Removes and returns a live flow; a flow can be used only once. */
export function takeOidcFlow(db: Database, flowId: string, now: Date): OidcFlow | undefined {
  const row = db
    .prepare("DELETE FROM oidc_login_flows WHERE id = ? RETURNING *")
    .get(hashToken(flowId));
  if (!row || Number(row.expires_at) <= now.getTime()) return undefined;
  return {
    state: String(row.state),
    nonce: String(row.nonce),
    codeVerifier: String(row.code_verifier),
  };
}
