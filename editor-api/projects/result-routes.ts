/** Result drafts: create, replace and delete. Drafts stay in the database until approval. */
import type { Hono } from "hono";
import { requireRole } from "../auth/session-middleware.ts";
import type { EditorEnv } from "../http/context.ts";
import { validate } from "../http/validate.ts";
import type { RouteDoc } from "../openapi/route-doc.ts";
import { recordAudit } from "../publish/audit.ts";
import { draftView, optionalJson, resultBody, versionBody, writeView } from "./bodies.ts";
import { WRITE_ERRORS } from "./card-routes.ts";
import {
  deleteDraft,
  findDraft,
  insertDraft,
  newResultId,
  type ResultDraft,
  updateDraft,
} from "./drafts.ts";
import { EditorialError } from "./errors.ts";
import type { EditorialServices } from "./services.ts";
import { expectedVersion, versionTag } from "./workflow-store.ts";
import { runWrite, type WriteContext } from "./write.ts";

const ERRORS = [...WRITE_ERRORS, "RESULT_NOT_FOUND"];
const ROLES = ["beneficiary", "officer", "helpdesk"];

export const resultDocs: RouteDoc[] = [
  {
    method: "post",
    path: "/api/projects/:id/results",
    summary: "Add a result draft (title, description, type, EU official language)",
    access: ROLES,
    body: resultBody,
    success: {
      status: 201,
      description: "The draft and the new version",
      schema: writeView.extend({ result: draftView }),
    },
    errors: ERRORS,
  },
  {
    method: "put",
    path: "/api/projects/:id/results/:resultId",
    summary: "Replace the fields of a result draft; its attachment stays",
    access: ROLES,
    body: resultBody,
    success: {
      status: 200,
      description: "The draft and the new version",
      schema: writeView.extend({ result: draftView }),
    },
    errors: ERRORS,
  },
  {
    method: "delete",
    path: "/api/projects/:id/results/:resultId",
    summary: "Delete a result draft",
    access: ROLES,
    body: versionBody,
    success: { status: 200, description: "The new version", schema: writeView },
    errors: ERRORS,
  },
];

/** Returns the draft the route names, or throws RESULT_NOT_FOUND. */
export function existingDraft(context: WriteContext, resultId: string): ResultDraft {
  const draft = context.drafts.find((item) => item.id === resultId);
  if (!draft) {
    throw new EditorialError(
      "RESULT_NOT_FOUND",
      `Project ${context.project.id} has no result ${resultId}; list its drafts with GET /api/projects/${context.project.id}.`,
      { resultId },
    );
  }
  return draft;
}

export function registerResultRoutes(api: Hono<EditorEnv>, services: EditorialServices): void {
  api.post("/api/projects/:id/results", requireRole(), validate("json", resultBody), async (c) => {
    const { version: bodyVersion, ...fields } = c.req.valid("json");
    const { db } = c.var.deps;
    const draft: ResultDraft = { id: newResultId(), ...fields };
    const result = await runWrite(c, services, {
      projectId: c.req.param("id"),
      expected: expectedVersion(c, bodyVersion),
      action: { type: "edit" },
      change: `result ${draft.id} added`,
      apply: (context) => ({
        alsoRun: () => {
          const at = context.now.toISOString();
          insertDraft(db, context.project.id, draft, at);
          recordAudit(db, {
            at,
            actorId: String(context.account.id),
            action: "edit",
            projectId: context.project.id,
            field: `drafts.${draft.id}`,
            newValue: draft,
          });
        },
      }),
    });
    c.header("ETag", versionTag(result.version));
    return c.json({ version: result.version, state: result.workflow.state, result: draft }, 201);
  });

  api.put(
    "/api/projects/:id/results/:resultId",
    requireRole(),
    validate("json", resultBody),
    async (c) => {
      const { version: bodyVersion, ...fields } = c.req.valid("json");
      const { db } = c.var.deps;
      const resultId = c.req.param("resultId");
      let updated: ResultDraft | undefined;
      const result = await runWrite(c, services, {
        projectId: c.req.param("id"),
        expected: expectedVersion(c, bodyVersion),
        action: { type: "edit" },
        change: `result ${resultId} updated`,
        check: (context) => {
          existingDraft(context, resultId);
        },
        apply: (context) => ({
          alsoRun: () => {
            const before = existingDraft(context, resultId);
            const after: ResultDraft = { id: resultId, ...fields };
            if (before.attachment) after.attachment = before.attachment;
            const at = context.now.toISOString();
            updateDraft(db, context.project.id, after, at);
            recordAudit(db, {
              at,
              actorId: String(context.account.id),
              action: "edit",
              projectId: context.project.id,
              field: `drafts.${resultId}`,
              oldValue: before,
              newValue: after,
            });
            updated = after;
          },
        }),
      });
      c.header("ETag", versionTag(result.version));
      return c.json({ version: result.version, state: result.workflow.state, result: updated });
    },
  );

  api.delete("/api/projects/:id/results/:resultId", requireRole(), async (c) => {
    const body = await optionalJson(c, versionBody);
    const { db } = c.var.deps;
    const resultId = c.req.param("resultId");
    const result = await runWrite(c, services, {
      projectId: c.req.param("id"),
      expected: expectedVersion(c, body.version),
      action: { type: "edit" },
      change: `result ${resultId} deleted`,
      check: (context) => {
        existingDraft(context, resultId);
      },
      apply: (context) => ({
        alsoRun: () => {
          const before = findDraft(db, context.project.id, resultId);
          deleteDraft(db, context.project.id, resultId);
          recordAudit(db, {
            at: context.now.toISOString(),
            actorId: String(context.account.id),
            action: "edit",
            projectId: context.project.id,
            field: `drafts.${resultId}`,
            oldValue: before,
          });
        },
      }),
    });
    c.header("ETag", versionTag(result.version));
    return c.json({ version: result.version, state: result.workflow.state });
  });
}
