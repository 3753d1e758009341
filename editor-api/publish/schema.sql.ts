/**
 * Tables of the publication side: the rebuild queue and the audit log. The editor API's
 * migration list should run these statements once. `ensurePublishSchema` runs them too (they are
 * idempotent), so tests and tools work on a fresh database.
 */
import type { Database } from "../db/database.ts";

export const PUBLISH_SCHEMA: readonly string[] = [
  // A job is runnable when it is queued and due, or failed with attempts left and due, or running
  // with an expired lease (its worker died).
  `CREATE TABLE IF NOT EXISTS rebuild_jobs (
    id INTEGER PRIMARY KEY,
    requested_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    card_ids TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL DEFAULT 'queued'
      CHECK (state IN ('queued', 'running', 'done', 'failed')),
    not_before TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_expires_at TEXT
  ) STRICT`,
  "CREATE INDEX IF NOT EXISTS rebuild_jobs_state ON rebuild_jobs (state, not_before)",
  `CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    project_id TEXT,
    field TEXT,
    old_value TEXT,
    new_value TEXT
  ) STRICT`,
  "CREATE INDEX IF NOT EXISTS audit_log_project ON audit_log (project_id, id)",
];

/** Creates the publication tables when they are missing. */
export function ensurePublishSchema(db: Database): void {
  for (const statement of PUBLISH_SCHEMA) db.exec(statement);
}
