/** Form posts of the helpdesk page, each turned into editor API calls. */
import type { EditorClient } from "./api.ts";
import { emptyForm, type FormState, fieldError, formErrors } from "./form.ts";
import { projectApiPath } from "./project.ts";

export type HelpdeskOutcome = { ok: true; notice: string } | { ok: false; form: FormState };

interface StaffAccount {
  id: number;
  username: string;
  email: string;
  role: string;
}

/**
 * Turns the "username or e-mail address" field into the grant body's `accountId` or `email`;
 * a username is looked up in the account list.
 */
async function grantee(
  client: EditorClient,
  who: string,
): Promise<{ accountId: number } | { email: string } | undefined> {
  if (who.includes("@")) return { email: who };
  const result = await client.call<{ accounts: StaffAccount[] }>(
    "GET",
    "/api/staff/accounts?role=beneficiary",
  );
  if (!result.ok) return undefined;
  const account = result.data.accounts.find(
    (candidate) => candidate.username.toLowerCase() === who.toLowerCase(),
  );
  return account ? { accountId: account.id } : undefined;
}

export async function runHelpdeskAction(
  client: EditorClient,
  values: Record<string, string>,
): Promise<HelpdeskOutcome> {
  const csrf = { csrfToken: values._csrf };
  const projectId = (values.projectId ?? "").trim();
  switch (values.action) {
    case "grant":
    case "revoke": {
      const who = (values.account ?? "").trim();
      const target = await grantee(client, who);
      if (!target) {
        const form = emptyForm(values);
        return {
          ok: false,
          form: fieldError(form, "account", `No beneficiary account with the username "${who}".`),
        };
      }
      const method = values.action === "grant" ? "POST" : "DELETE";
      const result = await client.call(method, "/api/grants", { projectId, ...target }, csrf);
      if (!result.ok) return { ok: false, form: formErrors(values, result.error) };
      const done = values.action === "grant" ? "has access to" : "no longer has access to";
      return { ok: true, notice: `${who} ${done} project ${projectId}.` };
    }
    case "reopen": {
      const project = await client.call<{ version: number }>("GET", projectApiPath(projectId));
      if (!project.ok) return { ok: false, form: formErrors(values, project.error) };
      const result = await client.call(
        "POST",
        projectApiPath(projectId, "/reopen"),
        { version: project.data.version },
        csrf,
      );
      if (!result.ok) return { ok: false, form: formErrors(values, result.error) };
      return { ok: true, notice: `Project ${projectId} is open for changes again.` };
    }
    case "create-staff": {
      const role = values.role === "helpdesk" ? "helpdesk" : "officer";
      const agency = (values.agency ?? "").trim();
      const result = await client.call(
        "POST",
        "/api/staff/accounts",
        {
          username: values.username ?? "",
          firstName: values.firstName ?? "",
          lastName: values.lastName ?? "",
          email: values.email ?? "",
          role,
          agency: role === "officer" ? agency : undefined,
        },
        csrf,
      );
      if (!result.ok) return { ok: false, form: formErrors(values, result.error) };
      return {
        ok: true,
        notice: `Account ${values.username} is created; its owner gets a link to set a password.`,
      };
    }
    default:
      return {
        ok: false,
        form: { values, general: [`Unknown form action "${values.action}".`], fields: [] },
      };
  }
}
