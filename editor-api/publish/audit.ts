/**
 * The audit log: who changed what on which card, and when. Old and new values are stored as
 * JSON so a reviewer can see exactly what a publication replaced.
 */
import type { Database, SqlInput } from "../db/database.ts";

export interface AuditEntry {
  /** ISO timestamp. */
  at: string;
  /** Account that acted; undefined for the system (importer, queue). */
  actorId?: string;
  /** Action name, such as `publish`, `approve` or `return`. */
  action: string;
  projectId?: string;
  /** Changed field, such as `editorial.results`. */
  field?: string;
  oldValue?: unknown;
  newValue?: unknown;
}

export interface AuditRecord extends AuditEntry {
  id: number;
}

export interface AuditFilter {
  projectId?: string;
  actorId?: string;
  action?: string;
  /** Earliest `at`, inclusive. */
  since?: string;
  /** Latest `at`, exclusive. */
  until?: string;
  /** At most this many entries, newest first; 100 by default. */
  limit?: number;
}

/** Appends one entry and returns its id. */
export function recordAudit(db: Database, entry: AuditEntry): number {
  const row = db
    .prepare(
      `INSERT INTO audit_log (at, actor_id, action, project_id, field, old_value, new_value)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    )
    .get(
      entry.at,
      entry.actorId ?? null,
      entry.action,
      entry.projectId ?? null,
      entry.field ?? null,
      toJson(entry.oldValue),
      toJson(entry.newValue),
    ) as { id: number };
  return row.id;
}

/** Lists entries that match every given filter, newest first. */
export function listAudit(db: Database, filter: AuditFilter = {}): AuditRecord[] {
  const where: string[] = [];
  const values: SqlInput[] = [];
  const add = (clause: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(clause);
    values.push(value);
  };
  add("project_id = ?", filter.projectId);
  add("actor_id = ?", filter.actorId);
  add("action = ?", filter.action);
  add("at >= ?", filter.since);
  add("at < ?", filter.until);

  const sql =
    "SELECT id, at, actor_id, action, project_id, field, old_value, new_value FROM audit_log" +
    (where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "") +
    " ORDER BY id DESC LIMIT ?";
  const rows = db.prepare(sql).all(...values, filter.limit ?? 100) as unknown as AuditRow[];
  return rows.map(fromRow);
}

interface AuditRow {
  id: number;
  at: string;
  actor_id: string | null;
  action: string;
  project_id: string | null;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
}

function fromRow(row: AuditRow): AuditRecord {
  const record: AuditRecord = { id: row.id, at: row.at, action: row.action };
  if (row.actor_id !== null) record.actorId = row.actor_id;
  if (row.project_id !== null) record.projectId = row.project_id;
  if (row.field !== null) record.field = row.field;
  if (row.old_value !== null) record.oldValue = JSON.parse(row.old_value);
  if (row.new_value !== null) record.newValue = JSON.parse(row.new_value);
  return record;
}

function toJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
