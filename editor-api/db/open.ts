/** Opens the editor's SQLite file with the connection settings every process must share. */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Database } from "./database.ts";
import { runMigrations } from "./migrate.ts";
import { migrations } from "./migrations/index.ts";

/** Milliseconds a statement waits for another connection's write lock before failing. */
const BUSY_TIMEOUT_MS = 5_000;

/** Opens (creating when missing) the database at `file`, in WAL mode, and migrates it. */
export function openDatabase(file: string): Database {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new DatabaseSync(file, {
    enableForeignKeyConstraints: true,
    timeout: BUSY_TIMEOUT_MS,
  });
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA foreign_keys = ON");
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  runMigrations(db, migrations);
  return db;
}
