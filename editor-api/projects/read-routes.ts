/** Beneficiary dashboard reads: the projects an account may see, and one project in full. */

import type { Hono } from "hono";
import { z } from "zod";
import type { Account } from "../accounts/account.ts";
import { requireAccount, requireRole } from "../auth/session-middleware.ts";
import type { Database } from "../db/database.ts";
import type { EditorEnv } from "../http/context.ts";
import { validate } from "../http/validate.ts";
import type { RouteDoc } from "../openapi/route-doc.ts";
import { isLocked, lockDate, type ReviewState, submissionOpensOn } from "../workflow/lifecycle.ts";
import { findVisibleProject, visibilityFilter } from "./access.ts";
import { deadlinesView, draftView, projectListView } from "./bodies.ts";
import { listDrafts } from "./drafts.ts";
import { fromIndexRow, type IndexedProject } from "./project-index.ts";
import type { EditorialServices } from "./services.ts";
import { readWorkflow, versionTag } from "./workflow-store.ts";
import { lifecycleCard, readCard } from "./write.ts";

const listQuery = z.object({
  state: z.enum(["open", "submitted", "returned", "approved"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

const projectView = z.object({
  project: z.object({
    id: z.string(),
    programme: z.string(),
    agency: z.string(),
    title: z.string(),
    endDate: z.string().nullable(),
  }),
  card: z.record(z.string(), z.unknown()),
  drafts: z.array(draftView),
  workflow: z.object({
    state: z.string(),
    comment: z.string().nullable(),
    submittedAt: z.string().nullable(),
    unlockedUntil: z.string().nullable(),
    locked: z.boolean(),
  }),
  lastDecision: z.record(z.string(), z.unknown()).nullable(),
  deadlines: deadlinesView,
  version: z.number(),
});

export const readDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/api/projects",
    summary:
      "List the projects the account may see, with review state, version and deadlines (submission opens on, locked on)",
    access: "signed-in",
    query: listQuery,
    success: { status: 200, description: "Visible projects", schema: projectListView },
    errors: ["INVALID_INPUT", "NOT_SIGNED_IN"],
  },
  {
    method: "get",
    path: "/api/projects/:id",
    summary: "Read a project: its card, result drafts, workflow record, deadlines and version",
    access: "signed-in",
    success: {
      status: 200,
      description: "The project; the ETag header contains its version",
      schema: projectView,
    },
    errors: ["NOT_SIGNED_IN", "NOT_FOUND"],
  },
];

interface ListRow {
  id: string;
  programme: string;
  agency: string;
  title: string;
  end_date: string | null;
  status: string | null;
  path: string;
  state: ReviewState;
  version: number;
  unlocked_until: string | null;
}

/** Deadlines of a project from its end date. */
export function deadlinesOf(project: Pick<IndexedProject, "endDate">) {
  return {
    submissionOpensOn: submissionOpensOn(project) ?? null,
    lockedOn: lockDate(project) ?? null,
  };
}

function listProjects(
  db: Database,
  account: Account,
  query: z.infer<typeof listQuery>,
  today: string,
) {
  const filter = visibilityFilter(account);
  const where = [filter.where];
  const values = [...filter.values];
  if (query.state) {
    where.push("w.state = ?");
    values.push(query.state);
  }
  const from = `FROM project_index i JOIN project_workflow w ON w.project_id = i.id
    WHERE ${where.join(" AND ")}`;
  const total = db.prepare(`SELECT count(*) AS n ${from}`).get(...values) as { n: number };
  const rows = db
    .prepare(
      `SELECT i.*, w.state, w.version, w.unlocked_until ${from}
       ORDER BY i.end_date IS NULL, i.end_date, i.id LIMIT ? OFFSET ?`,
    )
    .all(...values, query.limit, query.offset) as unknown as ListRow[];
  const projects = rows.map((row) => {
    const project = fromIndexRow(row);
    const workflow = {
      state: row.state,
      editors: [],
      unlockedUntil: row.unlocked_until ?? undefined,
    };
    const locked = isLocked(
      { id: project.id, agency: project.agency, endDate: project.endDate, resultIds: [], workflow },
      today,
    );
    return {
      id: project.id,
      programme: project.programme,
      agency: project.agency,
      title: project.title,
      endDate: project.endDate ?? null,
      state: row.state,
      version: row.version,
      locked,
      deadlines: deadlinesOf(project),
    };
  });
  return { projects, total: total.n };
}

/** Returns the latest review decision on a project, or null before the first one. */
export function lastDecision(db: Database, projectId: string) {
  const row = db
    .prepare(
      `SELECT officer_id, at, decision, comment, results, labels FROM review_decisions
       WHERE project_id = ? ORDER BY id DESC LIMIT 1`,
    )
    .get(projectId) as
    | {
        officer_id: number;
        at: string;
        decision: string;
        comment: string | null;
        results: string;
        labels: string | null;
      }
    | undefined;
  if (!row) return null;
  return {
    officerId: row.officer_id,
    at: row.at,
    decision: row.decision,
    comment: row.comment,
    results: JSON.parse(row.results) as unknown[],
    labels: row.labels === null ? null : (JSON.parse(row.labels) as unknown),
  };
}

export function registerReadRoutes(api: Hono<EditorEnv>, services: EditorialServices): void {
  api.get("/api/projects", requireRole(), validate("query", listQuery), (c) => {
    const account = requireAccount(c.var.account);
    const { db, clock } = c.var.deps;
    const today = clock().toISOString().slice(0, 10);
    return c.json(listProjects(db, account, c.req.valid("query"), today));
  });

  api.get("/api/projects/:id", async (c) => {
    const account = requireAccount(c.var.account);
    const { db, clock } = c.var.deps;
    const visible = await findVisibleProject(
      db,
      services.contentDir,
      account,
      c.req.param("id"),
      clock,
    );
    const { project } = visible;
    const card = await readCard(services, project, c.var.deps.logger);
    const stored = readWorkflow(db, project.id);
    const drafts = listDrafts(db, project.id);
    const today = clock().toISOString().slice(0, 10);
    c.header("ETag", versionTag(stored.version));
    return c.json({
      project: {
        id: project.id,
        programme: project.programme,
        agency: project.agency,
        title: project.title,
        endDate: project.endDate ?? null,
      },
      card,
      drafts,
      workflow: {
        state: stored.workflow.state,
        comment: stored.workflow.comment ?? null,
        submittedAt: stored.submittedAt ?? null,
        unlockedUntil: stored.workflow.unlockedUntil ?? null,
        locked: isLocked(lifecycleCard(visible, stored.workflow, drafts), today),
      },
      lastDecision: lastDecision(db, project.id),
      deadlines: deadlinesOf(project),
      version: stored.version,
    });
  });
}
