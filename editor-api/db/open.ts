/**
 * Opens the editor database with the connection settings every process must share: a SQLite
 * file, or a PostgreSQL database when the location is a `postgres://` URL.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Database } from "./database.ts";
import { runMigrations } from "./migrate.ts";
import { migrations } from "./migrations/index.ts";
import { PostgresDatabase } from "./postgres.ts";
import { inTransaction } from "./transaction.ts";

/** Milliseconds a statement waits for another connection's write lock before failing. */
const BUSY_TIMEOUT_MS = 5_000;

/** Tells whether `location` names a PostgreSQL database (`postgres://` or `postgresql://`). */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * Opens (creating when missing) the database at `location` and migrates it. `location` is a
 * `postgres://` URL, a `sqlite:` URL or a SQLite file path (`:memory:` for a private one).
 */
export function openDatabase(location: string): Database {
  if (isPostgresUrl(location)) return openPostgres(location);
  const file = location.startsWith("sqlite:") ? location.slice("sqlite:".length) : location;
  return openSqlite(file);
}

/** Opens the SQLite file in WAL mode with foreign keys on, and migrates it. */
export function openSqlite(file: string): Database {
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

/**
 * Connects to PostgreSQL and migrates the database. Lock waits (the writer lock that
 * `BEGIN IMMEDIATE` takes, row locks) fail after the same time as SQLite's busy timeout.
 * Tables live in the first schema of the connection's `search_path`, so one server can contain
 * several editor databases side by side (the tests use one schema each).
 */
export function openPostgres(url: string): Database {
  const db = new PostgresDatabase(url);
  try {
    db.exec(`SET lock_timeout = ${BUSY_TIMEOUT_MS}`);
    // SQLite's NOCASE ignores the case of ASCII letters only. This ICU collation ignores case in
    // every script, so e-mail addresses and usernames that differ only in case compare equal.
    inTransaction(db, () => {
      db.exec(
        "CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false)",
      );
    });
    runMigrations(db, migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Returns `location` fit for logs: a `postgres://` URL loses its password and parameters. */
export function redactLocation(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = "redacted";
    url.search = "";
    return url.toString();
  } catch {
    return "postgres://(invalid URL)";
  }
}
