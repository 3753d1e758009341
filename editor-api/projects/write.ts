/**
 * The one path every editorial write takes: sign-in and visibility checks, the project lock, the
 * version check, the workflow rules, the write itself, then the new version in one transaction.
 */
import type { Context } from "hono";
import type { Logger } from "pino";
import {
  type Card,
  CardFormatError,
  type CardInput,
  cardPath,
  cardRelativePath,
  readCardFile,
} from "../../pipeline/card/index.ts";
import type { Account } from "../accounts/account.ts";
import { requireAccount } from "../auth/session-middleware.ts";
import type { EditorEnv } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import { publishCard } from "../publish/publish.ts";
import { type Action, decide, type LifecycleCard, type Workflow } from "../workflow/lifecycle.ts";
import { findVisibleProject, ruleAccount, type VisibleProject } from "./access.ts";
import { listDrafts, type ResultDraft } from "./drafts.ts";
import { decisionError, EditorialError } from "./errors.ts";
import type { IndexedProject } from "./project-index.ts";
import { projectLockOf } from "./project-lock.ts";
import type { EditorialServices } from "./services.ts";
import { checkVersion, commitWrite, readWorkflow, type StoredWorkflow } from "./workflow-store.ts";

/** Input of a write's own step, once the rules accepted the write. */
export interface WriteContext {
  account: Account;
  project: IndexedProject;
  card: Card;
  drafts: ResultDraft[];
  stored: StoredWorkflow;
  /** The workflow record the rules returned. */
  next: Workflow;
  now: Date;
}

export interface WriteSpec {
  projectId: string;
  expected: number;
  action: Action;
  /** Short account of the change for the version log, such as `website`. */
  change: string;
  /** Checks that need the loaded project (a result that must exist); throws to reject. */
  check?: (context: WriteContext) => void;
  /**
   * Does the write: card changes are published here. Returns database work that must commit
   * together with the new version, and may adjust the stored workflow record.
   */
  apply: (context: WriteContext) => Promise<WriteOutcome | undefined> | WriteOutcome | undefined;
}

export interface WriteOutcome {
  alsoRun?: () => void;
  workflow?: Workflow;
  submittedAt?: string;
}

export interface WriteResult {
  version: number;
  workflow: Workflow;
  project: IndexedProject;
  account: Account;
}

/** Runs one editorial write for the signed-in caller; see the module comment for the steps. */
export async function runWrite(
  c: Context<EditorEnv>,
  services: EditorialServices,
  spec: WriteSpec,
): Promise<WriteResult> {
  const { db, clock } = c.var.deps;
  const account = requireAccount(c.var.account);
  const visible = await findVisibleProject(db, services.contentDir, account, spec.projectId, clock);

  const lock = projectLockOf(db, c.var.deps.logger);
  return lock.run(spec.projectId, async () => {
    const stored = readWorkflow(db, spec.projectId);
    checkVersion(db, spec.projectId, spec.expected);
    const card = await readCard(services, visible.project, c.var.deps.logger);
    const drafts = listDrafts(db, spec.projectId);
    const now = clock();

    const decision = decide({
      card: lifecycleCard(visible, stored.workflow, drafts),
      account: ruleAccount(account),
      access: visible.access,
      action: spec.action,
      now,
    });
    if (!decision.ok) throw decisionError(decision, spec.projectId);

    const context: WriteContext = {
      account,
      project: visible.project,
      card,
      drafts,
      stored,
      next: decision.next,
      now,
    };
    spec.check?.(context);
    // NOTE: the lock is a lease. A holder stalled for longer than the lease (15 s by default)
    // can lose it to another process and still write the card file here. `commitWrite` then
    // rejects one of the two writes with VERSION_CONFLICT, but the file keeps the later one.
    const outcome = (await spec.apply(context)) ?? {};
    const workflow = outcome.workflow ?? decision.next;
    const version = commitWrite(db, {
      projectId: spec.projectId,
      expected: spec.expected,
      actorId: account.id,
      change: spec.change,
      workflow,
      submittedAt: outcome.submittedAt,
      now,
      alsoRun: outcome.alsoRun,
    });
    return { version, workflow, project: visible.project, account };
  });
}

/** Builds the card and its workflow record in the shape the lifecycle rules read. */
export function lifecycleCard(
  visible: VisibleProject,
  workflow: Workflow,
  drafts: readonly ResultDraft[],
): LifecycleCard {
  const { project } = visible;
  const card: LifecycleCard = {
    id: project.id,
    agency: project.agency,
    resultIds: drafts.map((draft) => draft.id),
    workflow,
  };
  if (project.endDate !== undefined) card.endDate = project.endDate;
  if (project.status !== undefined) card.status = project.status;
  return card;
}

/**
 * Reads the card file of an indexed project. A file gone since the last sync is a 404; a file
 * that fails to parse is CARD_FILE_INVALID, logged with the project id. Every write reads the
 * card through here first, so a broken file is refused and never overwritten.
 */
export async function readCard(
  services: EditorialServices,
  project: IndexedProject,
  logger?: Logger,
): Promise<Card> {
  const file = cardPath(services.contentDir, project.programme, project.id);
  try {
    return await readCardFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new ApiError(
        "NOT_FOUND",
        `The card file of project ${project.id} is missing; ask helpdesk to run the import again.`,
      );
    }
    if (error instanceof CardFormatError) throw cardFileInvalid(project, file, error, logger);
    throw error;
  }
}

function cardFileInvalid(
  project: IndexedProject,
  file: string,
  error: CardFormatError,
  logger: Logger | undefined,
): EditorialError {
  const relativePath = cardRelativePath(project.programme, project.id);
  const problems =
    error.issues.length > 0
      ? error.issues.map((issue) => ({
          path: issue.path === "" ? [] : issue.path.split("."),
          code: "invalid_card_file",
          message: issue.message,
        }))
      : [
          {
            path: [],
            code: "invalid_card_file",
            message: firstLine(error.message.replaceAll(file, relativePath)),
          },
        ];
  logger?.error(
    { projectId: project.id, file: relativePath, issues: problems },
    "card file is invalid",
  );
  const summary = problems
    .map((problem) => `${problem.path.join(".") || "(card)"}: ${problem.message}`)
    .join("; ");
  return new EditorialError(
    "CARD_FILE_INVALID",
    `The card file ${relativePath} of project ${project.id} is invalid (${summary}); ` +
      "ask helpdesk to import the project again. Nothing was changed.",
    { file: relativePath, projectId: project.id, issues: problems },
  );
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}

/**
 * Writes a new editorial part into the card file through the publish module, which audits every
 * changed field and queues a site rebuild.
 */
export async function publishEditorial(
  c: Context<EditorEnv>,
  services: EditorialServices,
  context: WriteContext,
  editorial: CardInput["editorial"],
  action: string,
): Promise<void> {
  const { db } = c.var.deps;
  const result = await publishCard(
    services.contentDir,
    { id: context.card.id, programme: context.card.programme, editorial },
    {
      db,
      queue: services.queue,
      actorId: String(context.account.id),
      action,
      now: () => context.now,
    },
  );
  if (result.ok) return;
  if (result.code === "CARD_NOT_FOUND") throw new ApiError("NOT_FOUND", `${result.message}.`);
  throw new EditorialError("CARD_INVALID", `${result.message}.`, result.details);
}

/**
 * Runs the checks of `runWrite` without writing, so an upload is refused before its body is
 * read. `runWrite` checks again once the file is stored.
 */
export async function precheckWrite(
  c: Context<EditorEnv>,
  services: EditorialServices,
  spec: Pick<WriteSpec, "projectId" | "expected" | "action" | "check">,
): Promise<void> {
  const { db, clock } = c.var.deps;
  const account = requireAccount(c.var.account);
  const visible = await findVisibleProject(db, services.contentDir, account, spec.projectId, clock);
  const stored = readWorkflow(db, spec.projectId);
  checkVersion(db, spec.projectId, spec.expected);
  const drafts = listDrafts(db, spec.projectId);
  const now = clock();
  const decision = decide({
    card: lifecycleCard(visible, stored.workflow, drafts),
    account: ruleAccount(account),
    access: visible.access,
    action: spec.action,
    now,
  });
  if (!decision.ok) throw decisionError(decision, spec.projectId);
  if (spec.check) {
    const card = await readCard(services, visible.project, c.var.deps.logger);
    spec.check({
      account,
      project: visible.project,
      card,
      drafts,
      stored,
      next: decision.next,
      now,
    });
  }
}
