/** Ends the session (POST from the navigation's sign-out button) and returns to sign-in. */
import type { APIRoute } from "astro";
import { editorClient, redirect } from "../../lib/api.ts";

export const POST: APIRoute = async (context) => {
  const client = editorClient(context);
  const form = await context.request.formData();
  const token = form.get("_csrf");
  await client.call("POST", "/api/auth/logout", undefined, {
    csrfToken: typeof token === "string" ? token : undefined,
  });
  return redirect(client, "/account/sign-in?notice=signed-out");
};
