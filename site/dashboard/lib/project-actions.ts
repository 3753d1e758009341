/**
 * Form posts of the project card editor, each turned into one editor API call. Returns the
 * notice to show after the redirect, or the form state with the API's errors.
 */
import type { ApiResult, EditorClient } from "./api.ts";
import { type FormState, formErrors } from "./form.ts";
import { type CardContact, projectApiPath } from "./project.ts";

export type ActionOutcome =
  | { ok: true; notice: string; anchor: string }
  | { ok: false; form: FormState; anchor: string };

/** Largest number of contact rows the form sends. */
export const MAX_CONTACT_ROWS = 50;

function outcome(
  result: ApiResult<unknown>,
  values: Record<string, string>,
  notice: string,
  anchor: string,
  fieldMap: Record<string, string> = {},
): ActionOutcome {
  if (result.ok) return { ok: true, notice, anchor };
  return { ok: false, form: formErrors(values, result.error, fieldMap), anchor };
}

function optional(value: string | undefined): string | undefined {
  const trimmed = (value ?? "").trim();
  return trimmed === "" ? undefined : trimmed;
}

/** Reads the rows `contact-<i>-<field>` of the contacts form, skipping rows without a name. */
export function contactsOf(values: Record<string, string>): CardContact[] {
  const contacts: CardContact[] = [];
  for (let index = 0; index < MAX_CONTACT_ROWS; index++) {
    const name = optional(values[`contact-${index}-name`]);
    if (name === undefined) continue;
    contacts.push({
      organisation: values[`contact-${index}-organisation`] ?? "coordinator",
      name,
      email: optional(values[`contact-${index}-email`]),
      phone: optional(values[`contact-${index}-phone`]),
      role: optional(values[`contact-${index}-role`]),
      public: values[`contact-${index}-public`] === "yes",
    });
  }
  return contacts;
}

function resultBody(values: Record<string, string>, version: number) {
  return {
    title: values.title ?? "",
    description: values.description ?? "",
    type: optional(values.type),
    language: optional(values.language),
    version,
  };
}

/** Runs the form action named by the `action` field against the project `id`. */
export async function runProjectAction(
  client: EditorClient,
  id: string,
  data: FormData,
  values: Record<string, string>,
): Promise<ActionOutcome> {
  const version = Number(values.version);
  const csrf = { csrfToken: values._csrf };
  const resultId = values.resultId ?? "";
  const resultPath = projectApiPath(id, `/results/${encodeURIComponent(resultId)}`);
  const file = data.get("file");
  const upload = async (path: string) => {
    if (!(file instanceof File) || file.size === 0) return undefined;
    return client.call("PUT", path, new Uint8Array(await file.arrayBuffer()), {
      ...csrf,
      headers: {
        "content-type": "application/octet-stream",
        "if-match": `"${version}"`,
        "x-file-name": encodeURIComponent(file.name),
      },
    });
  };
  const noFile = (anchor: string): ActionOutcome => ({
    ok: false,
    form: { values, general: [], fields: [{ field: "file", message: "Choose a file to upload." }] },
    anchor,
  });

  switch (values.action) {
    case "website": {
      const website = optional(values.website) ?? null;
      const result = await client.call(
        "PUT",
        projectApiPath(id, "/website"),
        { website, version },
        csrf,
      );
      return outcome(result, values, "The website is saved.", "website");
    }
    case "logo": {
      const result = await upload(projectApiPath(id, "/logo"));
      if (!result) return noFile("logo");
      return outcome(result, values, "The logo is uploaded.", "logo", { file: "file" });
    }
    case "contacts": {
      const result = await client.call(
        "PUT",
        projectApiPath(id, "/contacts"),
        { contacts: contactsOf(values), version },
        csrf,
      );
      return outcome(result, values, "The contact persons are saved.", "contacts");
    }
    case "add-result": {
      const result = await client.call(
        "POST",
        projectApiPath(id, "/results"),
        resultBody(values, version),
        csrf,
      );
      return outcome(result, values, "The result is added.", "results");
    }
    case "edit-result": {
      const result = await client.call("PUT", resultPath, resultBody(values, version), csrf);
      return outcome(result, values, "The result is saved.", `result-${resultId}`);
    }
    case "delete-result": {
      const result = await client.call("DELETE", resultPath, { version }, csrf);
      return outcome(result, values, "The result is deleted.", "results");
    }
    case "attachment": {
      const result = await upload(`${resultPath}/attachment`);
      if (!result) return noFile(`result-${resultId}`);
      return outcome(result, values, "The attachment is uploaded.", `result-${resultId}`);
    }
    case "submit": {
      const result = await client.call("POST", projectApiPath(id, "/submit"), { version }, csrf);
      if (!result.ok && result.error.code === "SUBMISSION_NOT_OPEN") {
        const reason = result.error.message;
        const sentence = `${reason.charAt(0).toUpperCase()}${reason.slice(1)}`;
        const message = `Submission rejected: ${sentence}${sentence.endsWith(".") ? "" : "."}`;
        return { ok: false, form: { values, general: [message], fields: [] }, anchor: "submit" };
      }
      return outcome(result, values, "The card is submitted for validation.", "submit");
    }
    default:
      return {
        ok: false,
        form: { values, general: [`Unknown form action "${values.action}".`], fields: [] },
        anchor: "main",
      };
  }
}
