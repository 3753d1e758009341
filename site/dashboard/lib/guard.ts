/** Access checks of the pages that need a signed-in account. */
import type { AstroGlobal } from "astro";
import {
  type EditorClient,
  readSession,
  type Session,
  type SessionAccount,
  signInPath,
} from "./api.ts";

export type Guarded = { session: Session; redirect?: undefined } | { redirect: Response };

/**
 * Returns the session when the account has one of `roles` (any role when empty). Without a
 * session it returns a redirect to sign-in that comes back here; with another role, a 403 page.
 */
export async function requireSession(
  astro: Pick<AstroGlobal, "url">,
  client: EditorClient,
  roles: SessionAccount["role"][] = [],
): Promise<Guarded> {
  const session = await readSession(client);
  if (!session) {
    return {
      redirect: new Response(null, {
        status: 303,
        headers: { location: signInPath(astro.url), "cache-control": "no-store" },
      }),
    };
  }
  if (roles.length > 0 && !roles.includes(session.account.role)) {
    return {
      redirect: new Response(
        `This page is for ${roles.join(" or ")} accounts; you are signed in as ${session.account.role}.`,
        { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } },
      ),
    };
  }
  return { session };
}
