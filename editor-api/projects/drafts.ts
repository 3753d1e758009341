/**
 * Result drafts: the results a beneficiary is preparing, kept in the database until an officer
 * approves the submission. Only then do the chosen ones reach the card file, marked published.
 */
import { randomBytes } from "node:crypto";
import type { Attachment, Result } from "../../pipeline/card/index.ts";
import type { Database } from "../db/database.ts";

/** A result as drafted; `attachment` is the stored file, when one was uploaded. */
export interface ResultDraft {
  id: string;
  title: string;
  description: string;
  type?: string;
  language?: string;
  attachment?: Attachment;
}

export type DraftFields = Omit<ResultDraft, "id" | "attachment">;

interface DraftRow {
  id: string;
  title: string;
  description: string;
  type: string | null;
  language: string | null;
  attachment: string | null;
}

function fromRow(row: DraftRow): ResultDraft {
  const draft: ResultDraft = { id: row.id, title: row.title, description: row.description };
  if (row.type !== null) draft.type = row.type;
  if (row.language !== null) draft.language = row.language;
  if (row.attachment !== null) draft.attachment = JSON.parse(row.attachment) as Attachment;
  return draft;
}

/** Lists a project's drafts in the order they were created. */
export function listDrafts(db: Database, projectId: string): ResultDraft[] {
  const rows = db
    .prepare(
      `SELECT id, title, description, type, language, attachment FROM result_drafts
       WHERE project_id = ? ORDER BY position, id`,
    )
    .all(projectId) as unknown as DraftRow[];
  return rows.map(fromRow);
}

export function findDraft(
  db: Database,
  projectId: string,
  resultId: string,
): ResultDraft | undefined {
  const row = db
    .prepare(
      `SELECT id, title, description, type, language, attachment FROM result_drafts
       WHERE project_id = ? AND id = ?`,
    )
    .get(projectId, resultId) as DraftRow | undefined;
  return row ? fromRow(row) : undefined;
}

/** Creates a result id: `r` and 12 random hex digits, so a clash within a project is unlikely. */
export function newResultId(): string {
  return `r${randomBytes(6).toString("hex")}`;
}

export function insertDraft(db: Database, projectId: string, draft: ResultDraft, at: string): void {
  const next = db
    .prepare(
      "SELECT coalesce(max(position), 0) + 1 AS position FROM result_drafts WHERE project_id = ?",
    )
    .get(projectId) as { position: number };
  db.prepare(
    `INSERT INTO result_drafts
       (project_id, id, position, title, description, type, language, attachment, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    projectId,
    draft.id,
    next.position,
    draft.title,
    draft.description,
    draft.type ?? null,
    draft.language ?? null,
    draft.attachment ? JSON.stringify(draft.attachment) : null,
    at,
    at,
  );
}

/** Replaces the fields and attachment of a draft. */
export function updateDraft(db: Database, projectId: string, draft: ResultDraft, at: string): void {
  db.prepare(
    `UPDATE result_drafts SET title = ?, description = ?, type = ?, language = ?, attachment = ?,
       updated_at = ? WHERE project_id = ? AND id = ?`,
  ).run(
    draft.title,
    draft.description,
    draft.type ?? null,
    draft.language ?? null,
    draft.attachment ? JSON.stringify(draft.attachment) : null,
    at,
    projectId,
    draft.id,
  );
}

export function deleteDraft(db: Database, projectId: string, resultId: string): void {
  db.prepare("DELETE FROM result_drafts WHERE project_id = ? AND id = ?").run(projectId, resultId);
}

/** Makes a card's existing results the first drafts of a project new to the index. */
export function seedDrafts(
  db: Database,
  projectId: string,
  results: readonly Result[],
  at: string,
): void {
  for (const result of results) {
    insertDraft(
      db,
      projectId,
      {
        id: result.id,
        title: result.title,
        description: result.description,
        type: result.type,
        language: result.language,
        attachment: result.attachment,
      },
      at,
    );
  }
}

/** Converts a draft that an officer chose to publish into the card's result. */
export function publishedResult(draft: ResultDraft): Result {
  const result: Result = {
    id: draft.id,
    title: draft.title,
    description: draft.description,
    published: true,
  };
  if (draft.type !== undefined) result.type = draft.type;
  if (draft.language !== undefined) result.language = draft.language;
  if (draft.attachment !== undefined) result.attachment = draft.attachment;
  return result;
}
