/**
 * Imports a contacts feed into the editor database named by DATABASE_URL (PostgreSQL or SQLite),
 * else DATABASE_PATH, else `var/editor.db`:
 *
 *   node editor-api/cli/import-contacts.ts FILE
 *
 * It replaces the stored feed like `npm run import -- --contacts FILE`, which writes to a SQLite
 * file only because the importer may not depend on the editor API. Exit codes: 0 imported,
 * 1 feed rejected (the previous feed is kept), 2 wrong usage.
 */
import { resolve } from "node:path";
import { importContacts } from "../../pipeline/contacts/import.ts";
import { isPostgresUrl, openDatabase, redactLocation } from "../db/open.ts";

const USAGE = "Usage: node editor-api/cli/import-contacts.ts FILE";

/** Returns the database location from the environment, as the editor API reads it. */
export function databaseLocation(env: NodeJS.ProcessEnv): string {
  const location = env.DATABASE_URL || env.DATABASE_PATH || "var/editor.db";
  return isPostgresUrl(location) ? location : resolve(location.replace(/^sqlite:/, ""));
}

/** Runs the command with `args` and returns its exit code. */
export async function main(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [file, ...extra] = args;
  if (file === undefined || extra.length > 0 || file.startsWith("-")) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const location = databaseLocation(env);
  const db = openDatabase(location);
  try {
    const report = await importContacts(resolve(file), db);
    for (const issue of report.issues) {
      const column = issue.column === undefined ? "" : `, column ${issue.column}`;
      process.stderr.write(`${issue.file}:${issue.line}${column}: ${issue.reason}\n`);
    }
    if (report.rejected) {
      process.stderr.write(`contacts feed ${file} rejected; the previous feed is kept\n`);
      return 1;
    }
    process.stdout.write(
      `contacts: ${report.imported} imported, ${report.issues.length} rows left out, ` +
        `database ${redactLocation(location)}\n`,
    );
    return 0;
  } finally {
    db.close();
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2), process.env);
}
