/**
 * Fresh editor databases for tests: a SQLite file by default, or, when `TEST_DATABASE_URL` holds
 * a `postgres://` URL, a new schema on that server, dropped again by `drop`. Every test that
 * needs a database gets it here, so the suite runs unchanged against both databases.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Database, Dialect } from "./database.ts";
import { isPostgresUrl, openDatabase } from "./open.ts";
import { PostgresDatabase } from "./postgres.ts";

/** Database of one test. */
export interface TestDatabase {
  /** Value for `openDatabase` and `DATABASE_URL`: a file path or a `postgres://` URL. */
  location: string;
  /** Opens a migrated connection; call it several times for several connections. */
  open(): Database;
  /** Removes the PostgreSQL schema; a SQLite file goes with the test's folder. */
  drop(): void;
}

/** Returns the server URL the tests use, or undefined to test on SQLite. */
export function testServerUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return undefined;
  if (!isPostgresUrl(url)) {
    throw new Error(
      `TEST_DATABASE_URL must be a postgres:// URL (got "${url}"); unset it to test on SQLite.`,
    );
  }
  return url;
}

/** Dialect that the tests of this run use. */
export const testDialect: Dialect = testServerUrl() ? "postgresql" : "sqlite";

/**
 * Creates an empty database for one test: `editor.db` in `folder` on SQLite, a schema named
 * `test_<random>` on PostgreSQL.
 */
export function createTestDatabase(folder: string): TestDatabase {
  const server = testServerUrl();
  if (!server) {
    const location = path.join(folder, "editor.db");
    return { location, open: () => openDatabase(location), drop: () => {} };
  }

  const schema = `test_${randomBytes(8).toString("hex")}`;
  runOnServer(server, `SET lock_timeout = 10000; CREATE SCHEMA ${schema}`);
  const url = new URL(server);
  url.searchParams.set("options", `-c search_path=${schema}`);
  const location = url.toString();
  let dropped = false;
  return {
    location,
    open: () => openDatabase(location),
    drop: () => {
      if (dropped) return;
      dropped = true;
      runOnServer(server, `SET lock_timeout = 10000; DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}

function runOnServer(server: string, sql: string): void {
  const admin = new PostgresDatabase(server);
  try {
    admin.exec(sql);
  } finally {
    admin.close();
  }
}
