/**
 * Form handling of the mailed-link pages that set a password (`/account/reset-password`,
 * `/account/set-password`): posts the token and the new password to the API route.
 */
import type { AstroGlobal } from "astro";
import { editorClient, readSession, redirect, type Session } from "./api.ts";
import { emptyForm, type FormState, fieldError, formErrors, hasErrors, readForm } from "./form.ts";

export type NewPasswordStep =
  | { response: Response }
  | { response?: undefined; form: FormState; session: Session | undefined };

export async function newPasswordStep(
  astro: Pick<AstroGlobal, "request" | "locals" | "url" | "response">,
  route: string,
): Promise<NewPasswordStep> {
  const client = editorClient(astro);
  const session = await readSession(client);
  let form = emptyForm({ token: astro.url.searchParams.get("token") ?? "" });
  if (astro.request.method !== "POST") return { form, session };

  const values = await readForm(astro.request);
  form = emptyForm(values);
  if ((values.password ?? "") !== (values.passwordRepeat ?? "")) {
    fieldError(form, "passwordRepeat", "The two passwords differ; type the same password twice.");
  }
  if (!hasErrors(form)) {
    const result = await client.call(
      "POST",
      route,
      { token: values.token ?? "", password: values.password ?? "" },
      { csrfToken: values._csrf },
    );
    if (result.ok) return { response: redirect(client, "/account/sign-in?notice=password-set") };
    form = formErrors(values, result.error, { token: "general" });
  }
  astro.response.status = 400;
  return { form, session };
}
