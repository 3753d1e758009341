/**
 * Card-level edits (website, contact persons) and the submission for validation. Card-level
 * edits are published when saved; the submission publishes the new review state.
 */
import type { Hono } from "hono";
import type { Contact } from "../../pipeline/card/index.ts";
import { requireRole } from "../auth/session-middleware.ts";
import type { EditorEnv } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import { validate } from "../http/validate.ts";
import type { RouteDoc } from "../openapi/route-doc.ts";
import { officerAddresses } from "./access.ts";
import { contactsBody, optionalJson, versionBody, websiteBody, writeView } from "./bodies.ts";
import { notify, projectRef } from "./notify.ts";
import type { EditorialServices } from "./services.ts";
import { normaliseWebsite } from "./website.ts";
import { expectedVersion, versionTag } from "./workflow-store.ts";
import { publishEditorial, runWrite, type WriteContext } from "./write.ts";

/** Error codes of every versioned write on a card. */
export const WRITE_ERRORS = [
  "INVALID_INPUT",
  "NOT_SIGNED_IN",
  "FORBIDDEN",
  "CSRF_REJECTED",
  "NOT_FOUND",
  "VERSION_REQUIRED",
  "VERSION_CONFLICT",
  "INVALID_STATE",
  "PROJECT_LOCKED",
  "CARD_INVALID",
] as const;

export const cardDocs: RouteDoc[] = [
  {
    method: "put",
    path: "/api/projects/:id/website",
    summary:
      "Set or remove the project website and publish it; without a scheme http:// is put in front, other schemes than http(s) are rejected",
    access: ["beneficiary", "officer", "helpdesk"],
    body: websiteBody,
    success: { status: 200, description: "New version and state", schema: writeView },
    errors: WRITE_ERRORS,
  },
  {
    method: "put",
    path: "/api/projects/:id/contacts",
    summary:
      "Replace the contact persons of the coordinator and partners (name, e-mail, phone, public confirmation) and publish them",
    access: ["beneficiary", "officer", "helpdesk"],
    body: contactsBody,
    success: { status: 200, description: "New version and state", schema: writeView },
    errors: WRITE_ERRORS,
  },
  {
    method: "post",
    path: "/api/projects/:id/submit",
    summary: "Submit the card for validation; possible from the project's end date",
    access: ["beneficiary"],
    body: versionBody,
    success: { status: 200, description: "New version and state", schema: writeView },
    errors: [...WRITE_ERRORS, "SUBMISSION_NOT_OPEN"],
  },
];

/** Returns the card's editorial part with the review state moved to `state` at the write's time. */
export function withReviewState(context: WriteContext, state: string) {
  return {
    ...context.card.editorial,
    review: { state, updatedAt: context.now.toISOString() },
  } as WriteContext["card"]["editorial"];
}

/** Rejects contacts of partner numbers the card does not have. */
function checkOrganisations(context: WriteContext, contacts: readonly Contact[]): void {
  const numbers = context.card.partners.map((partner, index) => partner.number ?? index + 1);
  const unknown = contacts
    .map((contact, index) => ({ organisation: contact.organisation, index }))
    .filter(({ organisation }) => {
      if (organisation === "coordinator") return false;
      return !numbers.includes(Number(organisation.slice("partner-".length)));
    });
  if (unknown.length === 0) return;
  const partners = numbers.map((number) => `partner-${number}`).join(", ") || "none";
  throw new ApiError(
    "INVALID_INPUT",
    `Project ${context.card.id} has no organisation ${unknown.map((item) => item.organisation).join(", ")}; use coordinator or one of its partners (${partners}).`,
    {
      issues: unknown.map(({ organisation, index }) => ({
        path: ["contacts", index, "organisation"],
        code: "unknown_organisation",
        message: `No organisation ${organisation} on this card.`,
      })),
    },
  );
}

export function registerCardRoutes(api: Hono<EditorEnv>, services: EditorialServices): void {
  api.put("/api/projects/:id/website", requireRole(), validate("json", websiteBody), async (c) => {
    const body = c.req.valid("json");
    let website: string | undefined;
    if (body.website !== null) {
      const normalised = normaliseWebsite(body.website);
      if (!normalised.ok) {
        throw new ApiError("INVALID_INPUT", normalised.message, {
          issues: [{ path: ["website"], code: "invalid_url", message: normalised.message }],
          details: { value: body.website },
        });
      }
      website = normalised.url;
    }
    const result = await runWrite(c, services, {
      projectId: c.req.param("id"),
      expected: expectedVersion(c, body.version),
      action: { type: "edit" },
      change: "website",
      apply: async (context) => {
        const editorial = { ...context.card.editorial, website };
        await publishEditorial(c, services, context, editorial, "edit");
        return undefined;
      },
    });
    c.header("ETag", versionTag(result.version));
    return c.json({
      version: result.version,
      state: result.workflow.state,
      website: website ?? null,
    });
  });

  api.put(
    "/api/projects/:id/contacts",
    requireRole(),
    validate("json", contactsBody),
    async (c) => {
      const body = c.req.valid("json");
      const contacts: Contact[] = body.contacts.map((contact) => ({
        organisation: contact.organisation,
        name: contact.name,
        email: contact.email,
        phone: contact.phone === "" ? undefined : contact.phone,
        role: contact.role === "" ? undefined : contact.role,
        public: contact.public,
      }));
      const result = await runWrite(c, services, {
        projectId: c.req.param("id"),
        expected: expectedVersion(c, body.version),
        action: { type: "edit" },
        change: "contacts",
        check: (context) => checkOrganisations(context, contacts),
        apply: async (context) => {
          const editorial = { ...context.card.editorial, contacts };
          await publishEditorial(c, services, context, editorial, "edit");
          return undefined;
        },
      });
      c.header("ETag", versionTag(result.version));
      return c.json({ version: result.version, state: result.workflow.state });
    },
  );

  api.post("/api/projects/:id/submit", requireRole(), async (c) => {
    const body = await optionalJson(c, versionBody);
    const result = await runWrite(c, services, {
      projectId: c.req.param("id"),
      expected: expectedVersion(c, body.version),
      action: { type: "submit" },
      change: "submitted for validation",
      apply: async (context) => {
        await publishEditorial(
          c,
          services,
          context,
          withReviewState(context, "submitted"),
          "submit",
        );
        return { submittedAt: context.now.toISOString() };
      },
    });
    const { deps } = c.var;
    await notify(deps, {
      type: "submission-received",
      project: projectRef(deps.config.publicUrl, result.project),
      submitter: result.account.email,
      officers: officerAddresses(deps.db, result.project.agency),
    });
    c.header("ETag", versionTag(result.version));
    return c.json({ version: result.version, state: result.workflow.state });
  });
}
