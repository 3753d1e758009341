/**
 * The workflow record of each card (review state, submission editors, return comment, reopening
 * window) and its version. Every accepted write moves the version up by one and logs what it
 * changed, so a write based on an older version is rejected with the changes it missed.
 */

import type { Context } from "hono";
import type { Database } from "../db/database.ts";
import { inTransaction } from "../db/transaction.ts";
import type { ReviewState, Workflow } from "../workflow/lifecycle.ts";
import { EditorialError } from "./errors.ts";

export interface StoredWorkflow {
  workflow: Workflow;
  version: number;
  /** When the current submission was made; set while submitted, kept after a decision. */
  submittedAt?: string;
  updatedAt: string;
}

/** One accepted write, as a version conflict reports it. */
export interface ProjectChange {
  version: number;
  at: string;
  actorId: number | null;
  change: string;
}

interface WorkflowRow {
  state: ReviewState;
  version: number;
  editors: string;
  comment: string | null;
  unlocked_until: string | null;
  submitted_at: string | null;
  updated_at: string;
}

/** Reads a project's workflow record; the project index seeds one for every project. */
export function readWorkflow(db: Database, projectId: string): StoredWorkflow {
  const row = db.prepare("SELECT * FROM project_workflow WHERE project_id = ?").get(projectId) as
    | WorkflowRow
    | undefined;
  if (!row) {
    throw new Error(`project ${projectId} is in the index without a workflow record`);
  }
  const workflow: Workflow = { state: row.state, editors: JSON.parse(row.editors) as string[] };
  if (row.comment !== null) workflow.comment = row.comment;
  if (row.unlocked_until !== null) workflow.unlockedUntil = row.unlocked_until;
  const stored: StoredWorkflow = { workflow, version: row.version, updatedAt: row.updated_at };
  if (row.submitted_at !== null) stored.submittedAt = row.submitted_at;
  return stored;
}

/** Lists the writes after `version`, oldest first. */
export function changesSince(db: Database, projectId: string, version: number): ProjectChange[] {
  const rows = db
    .prepare(
      `SELECT version, at, actor_id, change FROM project_changes
       WHERE project_id = ? AND version > ? ORDER BY version`,
    )
    .all(projectId, version) as {
    version: number;
    at: string;
    actor_id: number | null;
    change: string;
  }[];
  return rows.map((row) => ({
    version: row.version,
    at: row.at,
    actorId: row.actor_id,
    change: row.change,
  }));
}

/** Throws VERSION_CONFLICT, listing the missed changes, unless `expected` is current. */
export function checkVersion(db: Database, projectId: string, expected: number): void {
  const current = readWorkflow(db, projectId).version;
  if (current === expected) return;
  throw new EditorialError(
    "VERSION_CONFLICT",
    `Project ${projectId} is at version ${current}, but this change is based on version ${expected}; reload the project, check the changes listed and apply yours again.`,
    {
      currentVersion: current,
      yourVersion: expected,
      changes: changesSince(db, projectId, expected),
    },
  );
}

export interface CommitInput {
  projectId: string;
  expected: number;
  actorId: number;
  /** Short description of the change, such as `website` or `result r1 updated`. */
  change: string;
  /** The workflow record after the write. */
  workflow: Workflow;
  submittedAt?: string;
  now: Date;
  /** Further statements of the same write, run in the same transaction. */
  alsoRun?: () => void;
}

/**
 * Stores the new workflow record and version in one transaction. The update only applies when
 * the version is still `expected`, so of two processes racing, one gets VERSION_CONFLICT.
 */
export function commitWrite(db: Database, input: CommitInput): number {
  const at = input.now.toISOString();
  return inTransaction(db, () => {
    const { workflow } = input;
    const updated = db
      .prepare(
        `UPDATE project_workflow SET state = ?, version = version + 1, editors = ?, comment = ?,
           unlocked_until = ?, submitted_at = coalesce(?, submitted_at), updated_at = ?
         WHERE project_id = ? AND version = ?`,
      )
      .run(
        workflow.state,
        JSON.stringify(workflow.editors),
        workflow.comment ?? null,
        workflow.unlockedUntil ?? null,
        input.submittedAt ?? null,
        at,
        input.projectId,
        input.expected,
      );
    if (Number(updated.changes) === 0) checkVersion(db, input.projectId, input.expected);
    const version = input.expected + 1;
    db.prepare(
      "INSERT INTO project_changes (project_id, version, at, actor_id, change) VALUES (?, ?, ?, ?, ?)",
    ).run(input.projectId, version, at, input.actorId, input.change);
    input.alsoRun?.();
    return version;
  });
}

/**
 * Reads the version a write is based on: the `If-Match` header (`"7"`, `W/"7"` or `7`) or the
 * body's `version` field. Throws VERSION_REQUIRED when neither is given.
 */
export function expectedVersion(c: Context, bodyVersion?: number): number {
  const header = c.req.header("if-match");
  if (header !== undefined) {
    const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
    if (!match) {
      throw new EditorialError(
        "VERSION_REQUIRED",
        `If-Match header ${JSON.stringify(header)} is not a project version; send the version from GET /api/projects/:id, such as "3".`,
      );
    }
    return safeVersion(Number(match[1]), header);
  }
  if (bodyVersion !== undefined) return safeVersion(bodyVersion, String(bodyVersion));
  const query = c.req.query("version");
  if (query !== undefined && /^\d+$/.test(query)) return safeVersion(Number(query), query);
  throw new EditorialError(
    "VERSION_REQUIRED",
    "The project version this change is based on is missing; send it in the If-Match header or a version field.",
  );
}

/** Returns `version` when it is a safe integer, else rejects it quoting the value as sent. */
function safeVersion(version: number, sent: string): number {
  if (Number.isSafeInteger(version)) return version;
  throw new EditorialError(
    "VERSION_REQUIRED",
    `The version ${JSON.stringify(sent)} is not a project version (too large); send the version from GET /api/projects/:id, such as "3".`,
    { version: sent },
  );
}

/** The `ETag` value of a project version. */
export function versionTag(version: number): string {
  return `"${version}"`;
}

const locks = new Map<string, Promise<unknown>>();

/**
 * Runs `work` after every earlier write of the same project in this process has finished, so a
 * card file is never read by one write while another is replacing it.
 */
export async function withProjectLock<T>(projectId: string, work: () => Promise<T>): Promise<T> {
  const previous = locks.get(projectId) ?? Promise.resolve();
  const run = previous.then(work);
  const tail = run.catch(() => undefined);
  locks.set(projectId, tail);
  try {
    return await run;
  } finally {
    if (locks.get(projectId) === tail) locks.delete(projectId);
  }
}
