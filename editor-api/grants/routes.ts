/**
 * Helpdesk routes: grant a beneficiary account access to a project (several accounts per project
 * are fine), withdraw it, list a project's grants, reopen a card for changes, and resynchronise
 * the project index with the content folder after an import.
 */
import { relative } from "node:path";
import type { Hono } from "hono";
import { z } from "zod";
import { findAccountByEmail, findAccountById } from "../accounts/account.ts";
import { requireAccount, requireRole } from "../auth/session-middleware.ts";
import type { Database } from "../db/database.ts";
import type { EditorEnv } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import { validate } from "../http/validate.ts";
import type { EditorModule, RouteDoc } from "../openapi/route-doc.ts";
import { memberAddresses } from "../projects/access.ts";
import { optionalJson, versionBody, writeView } from "../projects/bodies.ts";
import { WRITE_ERRORS, withReviewState } from "../projects/card-routes.ts";
import { EDITORIAL_ERROR_STATUS } from "../projects/errors.ts";
import { notify, projectRef } from "../projects/notify.ts";
import { findProject, syncProjectIndex } from "../projects/project-index.ts";
import type { EditorialServices } from "../projects/services.ts";
import { expectedVersion, versionTag } from "../projects/workflow-store.ts";
import { publishEditorial, runWrite } from "../projects/write.ts";
import { recordAudit } from "../publish/audit.ts";

export const grantBody = z
  .object({
    projectId: z.string().min(1).max(200),
    /** The beneficiary account, by id or by e-mail address. */
    accountId: z.number().int().positive().optional(),
    email: z.email().optional(),
  })
  .refine((value) => (value.accountId === undefined) !== (value.email === undefined), {
    message: "Send either accountId or email.",
    path: ["accountId"],
  });

const grantView = z.object({
  projectId: z.string(),
  accountId: z.number(),
  grantedBy: z.number().nullable(),
  grantedAt: z.string(),
});

const syncView = z.object({
  indexed: z.number(),
  removed: z.number(),
  /** Card files left out of the index, relative to the content folder, with the reason. */
  invalid: z.array(z.object({ path: z.string(), message: z.string() })),
});

const grantsQuery = z.object({ projectId: z.string().min(1).max(200) });

const HELPDESK_ERRORS = ["INVALID_INPUT", "NOT_SIGNED_IN", "FORBIDDEN", "NOT_FOUND"] as const;

const docs: RouteDoc[] = [
  {
    method: "get",
    path: "/api/grants",
    summary: "List the accounts granted access to a project",
    access: ["helpdesk"],
    query: grantsQuery,
    success: {
      status: 200,
      description: "Grants",
      schema: z.object({ grants: z.array(grantView) }),
    },
    errors: HELPDESK_ERRORS,
  },
  {
    method: "post",
    path: "/api/grants",
    summary: "Grant a beneficiary account access to a project",
    access: ["helpdesk"],
    body: grantBody,
    success: { status: 201, description: "The grant", schema: grantView },
    errors: [...HELPDESK_ERRORS, "CSRF_REJECTED"],
  },
  {
    method: "delete",
    path: "/api/grants",
    summary: "Withdraw a beneficiary account's access to a project",
    access: ["helpdesk"],
    body: grantBody,
    success: { status: 204, description: "Withdrawn" },
    errors: [...HELPDESK_ERRORS, "CSRF_REJECTED"],
  },
  {
    method: "post",
    path: "/api/projects/:id/reopen",
    summary:
      "Reopen a submitted, returned or approved card, or a locked open one; a locked card opens for 90 days",
    access: ["helpdesk"],
    body: versionBody,
    success: { status: 200, description: "New version and state", schema: writeView },
    errors: WRITE_ERRORS,
  },
  {
    method: "post",
    path: "/api/projects/sync",
    summary: "Resynchronise the project index with the card files, as after an import",
    access: ["helpdesk"],
    success: { status: 200, description: "Counts of the sync", schema: syncView },
    errors: ["NOT_SIGNED_IN", "FORBIDDEN", "CSRF_REJECTED"],
  },
];

function listGrants(db: Database, projectId: string) {
  const rows = db
    .prepare(
      `SELECT project_id, account_id, granted_by, granted_at FROM project_grants
       WHERE project_id = ? ORDER BY granted_at, account_id`,
    )
    .all(projectId) as {
    project_id: string;
    account_id: number;
    granted_by: number | null;
    granted_at: string;
  }[];
  return rows.map((row) => ({
    projectId: row.project_id,
    accountId: row.account_id,
    grantedBy: row.granted_by,
    grantedAt: row.granted_at,
  }));
}

/** Resolves the grant's project and beneficiary account, or throws 404 / 400. */
async function grantTarget(
  db: Database,
  services: EditorialServices,
  input: z.infer<typeof grantBody>,
  now: () => Date,
) {
  if (!(await findProject(services.contentDir, db, input.projectId, now))) {
    throw new ApiError("NOT_FOUND", `No project ${input.projectId}; check the identifier.`);
  }
  const account =
    input.accountId !== undefined
      ? findAccountById(db, input.accountId)
      : findAccountByEmail(db, input.email ?? "");
  const named = input.accountId !== undefined ? `id ${input.accountId}` : `e-mail ${input.email}`;
  if (!account)
    throw new ApiError("NOT_FOUND", `No account has the ${named}; check the id or address.`);
  if (account.role !== "beneficiary") {
    throw new ApiError(
      "INVALID_INPUT",
      `Account ${account.id} is a ${account.role} account; only beneficiary accounts get project grants.`,
    );
  }
  return account;
}

/** Builds the helpdesk module: access grants and reopening. */
export function grantsModule(services: EditorialServices): EditorModule {
  return {
    docs,
    errorStatus: EDITORIAL_ERROR_STATUS,
    register(api: Hono<EditorEnv>) {
      api.get("/api/grants", requireRole("helpdesk"), validate("query", grantsQuery), (c) => {
        const { projectId } = c.req.valid("query");
        return c.json({ grants: listGrants(c.var.deps.db, projectId) });
      });

      api.post("/api/grants", requireRole("helpdesk"), validate("json", grantBody), async (c) => {
        const helpdesk = requireAccount(c.var.account);
        const { db, clock, config, logger } = c.var.deps;
        const input = c.req.valid("json");
        const account = await grantTarget(db, services, input, clock);
        const at = clock().toISOString();
        const inserted = db
          .prepare(
            `INSERT INTO project_grants (project_id, account_id, granted_by, granted_at)
             VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          )
          .run(input.projectId, account.id, helpdesk.id, at);
        if (Number(inserted.changes) > 0) {
          recordAudit(db, {
            at,
            actorId: String(helpdesk.id),
            action: "grant",
            projectId: input.projectId,
            field: "access.grants",
            newValue: { accountId: account.id },
          });
          logger.info({ projectId: input.projectId, accountId: account.id }, "access granted");
          const project = await findProject(services.contentDir, db, input.projectId, clock);
          if (project) {
            await notify(c.var.deps, {
              type: "card-published",
              project: projectRef(config.publicUrl, project),
              to: [account.email],
            });
          }
        }
        const grant = listGrants(db, input.projectId).find((row) => row.accountId === account.id);
        return c.json(grant, 201);
      });

      api.delete("/api/grants", requireRole("helpdesk"), validate("json", grantBody), async (c) => {
        const helpdesk = requireAccount(c.var.account);
        const { db, clock, logger } = c.var.deps;
        const input = c.req.valid("json");
        const account = await grantTarget(db, services, input, clock);
        const removed = db
          .prepare("DELETE FROM project_grants WHERE project_id = ? AND account_id = ?")
          .run(input.projectId, account.id);
        if (Number(removed.changes) === 0) {
          throw new ApiError(
            "NOT_FOUND",
            `Account ${account.id} has no grant on project ${input.projectId}; nothing to withdraw.`,
          );
        }
        recordAudit(db, {
          at: clock().toISOString(),
          actorId: String(helpdesk.id),
          action: "revoke",
          projectId: input.projectId,
          field: "access.grants",
          oldValue: { accountId: account.id },
        });
        logger.info({ projectId: input.projectId, accountId: account.id }, "access withdrawn");
        return c.body(null, 204);
      });

      api.post("/api/projects/sync", requireRole("helpdesk"), async (c) => {
        const { db, clock, logger } = c.var.deps;
        const report = await syncProjectIndex(services.contentDir, db, clock);
        logger.info(
          { indexed: report.indexed, removed: report.removed, invalid: report.invalid.length },
          "project index synchronised on request",
        );
        const invalid = report.invalid.map((problem) => {
          const path = relative(services.contentDir, problem.path).split("\\").join("/");
          return { path, message: problem.message.replaceAll(problem.path, path) };
        });
        for (const problem of invalid) {
          logger.warn(
            { path: problem.path, reason: problem.message },
            "card left out of the index",
          );
        }
        return c.json({ indexed: report.indexed, removed: report.removed, invalid });
      });

      api.post("/api/projects/:id/reopen", requireRole(), async (c) => {
        const body = await optionalJson(c, versionBody);
        const result = await runWrite(c, services, {
          projectId: c.req.param("id"),
          expected: expectedVersion(c, body.version),
          action: { type: "reopen" },
          change: "reopened",
          apply: async (context) => {
            await publishEditorial(
              c,
              services,
              context,
              withReviewState(context, "open"),
              "reopen",
            );
            return undefined;
          },
        });
        const { deps } = c.var;
        await notify(deps, {
          type: "submission-open",
          project: projectRef(deps.config.publicUrl, result.project),
          to: memberAddresses(deps.db, result.project.id),
          opensOn: result.project.endDate ?? deps.clock().toISOString().slice(0, 10),
        });
        c.header("ETag", versionTag(result.version));
        return c.json({ version: result.version, state: result.workflow.state });
      });
    },
  };
}
