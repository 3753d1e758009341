/**
 * Fresh editor databases for tests: a SQLite file by default, or, when `TEST_DATABASE_URL` is a
 * `postgres://` URL, a new schema on that server, dropped again by `drop`. Tests that take
 * their database from here run unchanged against both databases. Some tests still open a SQLite
 * file directly and run on SQLite only.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Database, Dialect } from "./database.ts";
import { isPostgresUrl, openDatabase } from "./open.ts";
import { PostgresDatabase } from "./postgres.ts";

/** Database of one test. */
export interface TestDatabase {
  /** Value for `openDatabase` and `DATABASE_URL`: a file path or a `postgres://` URL. */
  location: string;
  /** The same database as a DATABASE_URL value: the `postgres://` URL or a `sqlite:` URL. */
  url: string;
  /** Opens a migrated connection; call it several times for several connections. */
  open(): Database;
  /** Opens a connection without running the migrations, for tests of the migrations. */
  openBare(): Database;
  /** Removes the PostgreSQL schema. A SQLite file is removed with the test's folder. */
  drop(): void;
}

/** Returns the server URL the tests use, or undefined to test on SQLite. */
export function testServerUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return undefined;
  if (!isPostgresUrl(url)) {
    throw new Error(
      `TEST_DATABASE_URL must be a postgres:// URL (got "${url}"). Unset it to test on SQLite.`,
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
    return {
      location,
      url: `sqlite:${location}`,
      open: () => openDatabase(location),
      openBare: () => new DatabaseSync(location),
      drop: () => {},
    };
  }

  const schema = `test_${randomBytes(8).toString("hex")}`;
  runOnServer(server, `SET lock_timeout = 10000; CREATE SCHEMA ${schema}`);
  const url = new URL(server);
  url.searchParams.set("options", `-c search_path=${schema}`);
  const location = url.toString();
  let dropped = false;
  return {
    location,
    url: location,
    open: () => openDatabase(location),
    openBare: () => new PostgresDatabase(location),
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
