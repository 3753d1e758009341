/** Applies an officer's decision on a submission through the workflow rules. */
import type { Context } from "hono";
import type { z } from "zod";
import type { EditorEnv } from "../http/context.ts";
import { memberAddresses } from "../projects/access.ts";
import { withReviewState } from "../projects/card-routes.ts";
import { publishedResult } from "../projects/drafts.ts";
import { notify, projectRef } from "../projects/notify.ts";
import type { EditorialServices } from "../projects/services.ts";
import { expectedVersion } from "../projects/workflow-store.ts";
import {
  publishEditorial,
  runWrite,
  type WriteContext,
  type WriteResult,
} from "../projects/write.ts";
import type { Action } from "../workflow/lifecycle.ts";
import type { decisionBody } from "./bodies.ts";

type DecisionInput = z.infer<typeof decisionBody>;

/** Records the decision, publishes its effect on the card and notifies the beneficiaries. */
export async function applyDecision(
  c: Context<EditorEnv>,
  services: EditorialServices,
  input: DecisionInput,
): Promise<WriteResult> {
  const { deps } = c.var;
  const publishIds = input.results.filter((choice) => choice.publish).map((choice) => choice.id);
  const action: Action =
    input.decision === "approve"
      ? { type: "approve", publishedResultIds: publishIds, labels: input.labels }
      : { type: "return", comment: input.comment ?? "" };
  let publishedTitles: string[] = [];

  const result = await runWrite(c, services, {
    projectId: c.req.param("id") ?? "",
    expected: expectedVersion(c, input.version),
    action,
    change: input.decision === "approve" ? "approved" : "returned",
    apply: async (context) => {
      if (input.decision === "approve") {
        publishedTitles = await publishApproval(c, services, context);
      } else {
        await publishEditorial(
          c,
          services,
          context,
          withReviewState(context, "returned"),
          "return",
        );
      }
      return { alsoRun: () => recordDecision(c, context, input) };
    },
  });

  const project = projectRef(deps.config.publicUrl, result.project);
  const to = memberAddresses(deps.db, result.project.id);
  if (input.decision === "approve") {
    const labels = result.workflow.labels ?? { goodPractice: false, successStory: false };
    await notify(deps, {
      type: "approved",
      project,
      to,
      publishedResults: publishedTitles,
      goodPractice: labels.goodPractice,
      successStory: labels.successStory,
    });
  } else {
    await notify(deps, { type: "returned", project, to, comment: result.workflow.comment ?? "" });
  }
  return result;
}

/**
 * Replaces the card's results with the chosen drafts, marked published, sets the labels and
 * closes the card, then makes the attachments of the published results public. Returns the titles
 * of the published results.
 */
async function publishApproval(
  c: Context<EditorEnv>,
  services: EditorialServices,
  context: WriteContext,
): Promise<string[]> {
  const chosen = new Set(context.next.publishedResultIds ?? []);
  const results = context.drafts.filter((draft) => chosen.has(draft.id)).map(publishedResult);
  const labels = context.next.labels ?? { goodPractice: false, successStory: false };
  const editorial = { ...withReviewState(context, "approved"), results, labels };
  await publishEditorial(c, services, context, editorial, "approve");
  // The card links the files only now, so only now may the site server serve them.
  for (const result of results) {
    if (!result.attachment) continue;
    const marked = await services.uploads.markPublished(result.attachment.sha256);
    if (!marked) {
      c.var.deps.logger.error(
        { projectId: context.project.id, resultId: result.id, sha256: result.attachment.sha256 },
        "published result links a file missing from the attachments store",
      );
    }
  }
  return results.map((item) => item.title);
}

function recordDecision(c: Context<EditorEnv>, context: WriteContext, input: DecisionInput): void {
  c.var.deps.db
    .prepare(
      `INSERT INTO review_decisions (project_id, officer_id, at, decision, comment, results, labels)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      context.project.id,
      context.account.id,
      context.now.toISOString(),
      input.decision,
      input.comment?.trim() || null,
      JSON.stringify(input.results),
      context.next.labels ? JSON.stringify(context.next.labels) : null,
    );
}
