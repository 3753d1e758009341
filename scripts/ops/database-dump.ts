/**
 * Online copy and restore of the editor database itself: SQLite through the backup API of
 * `node:sqlite`, which copies a consistent snapshot while other connections keep writing, and
 * PostgreSQL through `pg_dump` / `pg_restore` (custom format), which must be on the PATH.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { backup, DatabaseSync } from "node:sqlite";
import { isPostgresUrl } from "../../editor-api/db/open.ts";

/** A failed backup or restore, with a stable code. */
export class OpsError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = "OpsError";
    this.code = code;
  }
}

export type DatabaseKind = "sqlite" | "postgresql";

export function databaseKind(location: string): DatabaseKind {
  return isPostgresUrl(location) ? "postgresql" : "sqlite";
}

/** Returns the SQLite file of a location: a path, or a `sqlite:` URL. */
export function sqliteFile(location: string): string {
  return location.startsWith("sqlite:") ? location.slice("sqlite:".length) : location;
}

/**
 * Returns the schema named by `search_path` in the URL's `options` parameter, as the tests set
 * it, so that the dump covers that schema only.
 */
function schemaOf(url: string): string | undefined {
  const options = new URL(url).searchParams.get("options") ?? "";
  return /search_path=([A-Za-z_][A-Za-z0-9_]*)/.exec(options)?.[1];
}

/**
 * Rewrites the query string with `%20` for spaces, because libpq, unlike URLSearchParams, does
 * not read `+` as a space (`options=-c+search_path%3Dx` fails in pg_dump).
 */
function libpqUrl(location: string): string {
  const url = new URL(location);
  const query = [...url.searchParams]
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join("&");
  url.search = query;
  return url.toString();
}

/** Runs a PostgreSQL client program and rejects with its standard error output on failure. */
function runClient(program: string, args: string[], code: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new OpsError(
          code,
          `${program} could not be started (${error.code}); install the PostgreSQL client programs of the server's major version`,
        ),
      );
    });
    child.once("close", (exitCode) => {
      if (exitCode === 0) resolvePromise();
      else
        reject(
          new OpsError(
            code,
            `${program} failed with exit code ${exitCode}: ${stderr.trim().slice(-2000)}`,
          ),
        );
    });
  });
}

/** Copies the database at `location` to `target` while it stays in use. */
export async function dumpDatabase(location: string, target: string): Promise<void> {
  if (databaseKind(location) === "postgresql") {
    const schema = schemaOf(location);
    const args = ["--format=custom", "--no-owner", `--file=${target}`];
    if (schema) args.push(`--schema=${schema}`);
    await runClient("pg_dump", [...args, libpqUrl(location)], "PG_DUMP_FAILED");
    return;
  }
  const file = sqliteFile(location);
  if (!existsSync(file)) {
    throw new OpsError(
      "DATABASE_NOT_FOUND",
      `the SQLite database ${file} does not exist; set DATABASE_PATH to the file the server uses`,
    );
  }
  // A read-write connection, because reading a WAL database needs its shared-memory file.
  const source = new DatabaseSync(file, { timeout: 5000 });
  try {
    await backup(source, target);
  } finally {
    source.close();
  }
}

/** Checks a restored SQLite file with `PRAGMA integrity_check`. */
export function checkSqliteIntegrity(file: string): void {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const row = db.prepare("PRAGMA integrity_check").get() as { integrity_check: string };
    if (row.integrity_check !== "ok") {
      throw new OpsError(
        "DATABASE_CORRUPT",
        `the restored database ${file} failed its integrity check (${row.integrity_check}); restore an older backup`,
      );
    }
  } finally {
    db.close();
  }
}

/** Restores a `pg_dump` custom-format file, replacing the tables it contains. */
export async function restorePostgres(location: string, dump: string): Promise<void> {
  await runClient(
    "pg_restore",
    [
      "--clean",
      "--if-exists",
      "--no-owner",
      "--exit-on-error",
      `--dbname=${libpqUrl(location)}`,
      dump,
    ],
    "PG_RESTORE_FAILED",
  );
}
