/** Runs synchronous work inside one database transaction. */
import type { Database } from "./database.ts";

/**
 * Runs `work` between BEGIN IMMEDIATE and COMMIT, rolling back when it throws.
 * IMMEDIATE takes the write lock at once, so concurrent writers wait (busy_timeout) instead of
 * failing at commit time. On PostgreSQL it takes the writer advisory lock (`postgres-sql.ts`).
 * Nested calls join the outer transaction.
 */
export function inTransaction<T>(db: Database, work: () => T): T {
  if (db.isTransaction) return work();
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}
