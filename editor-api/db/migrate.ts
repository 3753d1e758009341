/** Applies pending schema migrations, each in its own transaction. */
import type { Database } from "./database.ts";
import type { Migration } from "./migrations/index.ts";
import { inTransaction } from "./transaction.ts";

/** Runs every migration whose version is not yet in `schema_migrations`; returns those run. */
export function runMigrations(
  db: Database,
  list: readonly Migration[],
  now: () => Date = () => new Date(),
): number[] {
  checkOrder(list);
  // Both steps run under the writer lock, so processes starting together on one database
  // create the table once and apply each migration once.
  inTransaction(db, () => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  });
  const isApplied = db.prepare("SELECT 1 AS applied FROM schema_migrations WHERE version = ?");
  const record = db.prepare(
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
  );
  const ran: number[] = [];
  for (const migration of list) {
    const applied = inTransaction(db, () => {
      if (isApplied.get(migration.version)) return true;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now().toISOString());
      return false;
    });
    if (!applied) ran.push(migration.version);
  }
  return ran;
}

function checkOrder(list: readonly Migration[]): void {
  for (let index = 1; index < list.length; index++) {
    const previous = list[index - 1];
    const current = list[index];
    if (previous && current && current.version <= previous.version) {
      throw new Error(
        `Migration ${current.version} (${current.name}) follows ${previous.version}: versions must grow; append new migrations at the end with a higher number`,
      );
    }
  }
}
