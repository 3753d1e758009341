/**
 * Officer review: the queue of submitted cards, one submission in full, and the decision.
 * An approval publishes the chosen results and the labels into the card and closes it; a return
 * sends the card back with a comment. An officer who edited a submission cannot approve it.
 */
import type { Hono } from "hono";
import { z } from "zod";
import { requireAccount, requireRole } from "../auth/session-middleware.ts";
import type { EditorEnv } from "../http/context.ts";
import { validate } from "../http/validate.ts";
import type { EditorModule, RouteDoc } from "../openapi/route-doc.ts";
import { findVisibleProject } from "../projects/access.ts";
import { deadlinesView, draftView, writeView } from "../projects/bodies.ts";
import { WRITE_ERRORS } from "../projects/card-routes.ts";
import { listDrafts } from "../projects/drafts.ts";
import { EDITORIAL_ERROR_STATUS } from "../projects/errors.ts";
import { deadlinesOf, lastDecision } from "../projects/read-routes.ts";
import type { EditorialServices } from "../projects/services.ts";
import { readWorkflow, versionTag } from "../projects/workflow-store.ts";
import { readCard } from "../projects/write.ts";
import { decisionBody, queueView } from "./bodies.ts";
import { applyDecision } from "./decision.ts";
import { reviewQueue } from "./queue.ts";

const REVIEWERS = ["officer", "helpdesk"] as const;

const reviewView = z.object({
  project: z.record(z.string(), z.unknown()),
  summary: z.string(),
  results: z.array(draftView),
  publishedResults: z.array(z.record(z.string(), z.unknown())),
  workflow: z.object({
    state: z.string(),
    editors: z.array(z.string()),
    submittedAt: z.string().nullable(),
    comment: z.string().nullable(),
  }),
  lastDecision: z.record(z.string(), z.unknown()).nullable(),
  deadlines: deadlinesView,
  version: z.number(),
});

const docs: RouteDoc[] = [
  {
    method: "get",
    path: "/api/review/queue",
    summary:
      "List the submitted cards of the officer's agency (helpdesk: all), oldest first, with their age",
    access: REVIEWERS,
    success: { status: 200, description: "The queue", schema: queueView },
    errors: ["NOT_SIGNED_IN", "FORBIDDEN"],
  },
  {
    method: "get",
    path: "/api/review/:id",
    summary: "Read a submission for review: summary, every result draft with its attachment",
    access: REVIEWERS,
    success: {
      status: 200,
      description: "The submission; the ETag header contains its version",
      schema: reviewView,
    },
    errors: ["NOT_SIGNED_IN", "FORBIDDEN", "NOT_FOUND"],
  },
  {
    method: "post",
    path: "/api/review/:id/decision",
    summary:
      "Approve (publishing the chosen results and labels, closing the card) or return with a comment",
    access: ["officer"],
    body: decisionBody,
    success: { status: 200, description: "New version and state", schema: writeView },
    errors: [...WRITE_ERRORS, "COMMENT_REQUIRED", "EDITOR_CANNOT_APPROVE", "RESULT_NOT_FOUND"],
  },
];

/** Builds the officer review module. */
export function reviewModule(services: EditorialServices): EditorModule {
  return {
    docs,
    errorStatus: EDITORIAL_ERROR_STATUS,
    register(api: Hono<EditorEnv>) {
      api.get("/api/review/queue", requireRole(...REVIEWERS), (c) => {
        const account = requireAccount(c.var.account);
        const { db, clock } = c.var.deps;
        return c.json({ submissions: reviewQueue(db, account, clock()) });
      });

      api.get("/api/review/:id", requireRole(...REVIEWERS), async (c) => {
        const account = requireAccount(c.var.account);
        const { db, clock } = c.var.deps;
        const { project } = await findVisibleProject(
          db,
          services.contentDir,
          account,
          c.req.param("id"),
          clock,
        );
        const card = await readCard(services, project, c.var.deps.logger);
        const stored = readWorkflow(db, project.id);
        const { summary, editorial, ...contractual } = card;
        c.header("ETag", versionTag(stored.version));
        return c.json({
          project: {
            ...contractual,
            logo: editorial.logo ?? null,
            website: editorial.website ?? null,
          },
          summary,
          results: listDrafts(db, project.id),
          publishedResults: editorial.results,
          contacts: editorial.contacts,
          workflow: {
            state: stored.workflow.state,
            editors: stored.workflow.editors,
            submittedAt: stored.submittedAt ?? null,
            comment: stored.workflow.comment ?? null,
          },
          lastDecision: lastDecision(db, project.id),
          deadlines: deadlinesOf(project),
          version: stored.version,
        });
      });

      api.post(
        "/api/review/:id/decision",
        requireRole(...REVIEWERS),
        validate("json", decisionBody),
        async (c) => {
          const result = await applyDecision(c, services, c.req.valid("json"));
          c.header("ETag", versionTag(result.version));
          return c.json({ version: result.version, state: result.workflow.state });
        },
      );
    },
  };
}
