/**
 * Command line: `npm run import -- [--content DIR] [--report FILE] FILE...`.
 *
 * Exit codes: 0 when the run completed (rejected rows included). 1 when a file could not be read
 * or is not an export, the content folder is not writable, or the report failed at the end. 2 on
 * bad usage or a `--report` path that cannot be written.
 */
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { importContactsFile } from "../contacts/import.ts";
import { importFiles } from "./import.ts";
import { checkContentFolder, checkReportPath } from "./probe.ts";
import { defaultReportPath, formatSummary, warnEmptyFiles, writeReport } from "./report.ts";

const USAGE = `Usage: npm run import -- [--content DIR] [--report FILE] FILE...
       npm run import -- --contacts FILE [--database PATH]

Imports Projects Overview exports (CSV or XLSX) into project cards, or the private feed of
project contact persons into the editor database (never published).

  FILE            an export file (.csv or .xlsx); give several to import them in order
  --content DIR   content folder that holds projects/ (default: content)
  --report FILE   where to write the JSON report (default: reports/import-<timestamp>.json)
  --contacts FILE a contacts feed (see docs/contacts-feed.md); replaces the previous feed
  --database PATH editor database for --contacts (default: $DATABASE_PATH or var/editor.db)
  --help          show this text

Exit codes: 0 run completed (even with rejected rows), 1 a file could not be read or is not an
export, the content folder is not writable or the report could not be written at the end,
2 bad usage or a --report path that cannot be written.`;

/** Shortest time between two progress updates on a terminal, in milliseconds. */
const PROGRESS_INTERVAL_MS = 250;

function progressPrinter(): ((progress: Parameters<ProgressHandler>[0]) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return ({ file, rowsRead, rowsPerSecond }) => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    process.stderr.write(`\r\x1b[K${rowsRead} rows read, ${rowsPerSecond} rows/s, ${file}`);
  };
}
type ProgressHandler = NonNullable<Parameters<typeof importFiles>[1]["onProgress"]>;

function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      content: { type: "string" },
      report: { type: "string" },
      contacts: { type: "string" },
      database: { type: "string" },
      help: { type: "boolean" },
    },
    allowPositionals: true,
  });
}

/** Runs the command with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.values.contacts !== undefined) {
    if (parsed.positionals.length > 0) {
      process.stderr.write(`--contacts takes no export files.\n\n${USAGE}\n`);
      return 2;
    }
    return importContactsCommand(parsed.values.contacts, parsed.values.database);
  }
  if (parsed.positionals.length === 0) {
    process.stderr.write(`No export file given.\n\n${USAGE}\n`);
    return 2;
  }

  const now = new Date();
  const contentDir = resolve(parsed.values.content ?? "content");
  const reportPath = resolve(parsed.values.report ?? defaultReportPath(now));
  const reportProblem = await checkReportPath(reportPath);
  if (reportProblem !== undefined) {
    process.stderr.write(`${reportProblem}\n`);
    return 2;
  }
  const contentProblem = await checkContentFolder(contentDir);
  if (contentProblem !== undefined) {
    process.stderr.write(`${contentProblem}\n`);
    return 1;
  }

  const onProgress = progressPrinter();
  // Ctrl-C stops after the current row. The cards written so far and the report are kept.
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  const summary = await importFiles(parsed.positionals, {
    contentDir,
    onProgress,
    signal: controller.signal,
  });
  process.off("SIGINT", stop);
  if (onProgress) process.stderr.write("\r\x1b[K");
  warnEmptyFiles(summary);

  let reportFailure: string | undefined;
  try {
    await writeReport(reportPath, summary);
  } catch (error) {
    const code = (error as { code?: unknown }).code ?? (error as Error).name;
    reportFailure = `report ${reportPath} could not be written (${code}); the cards were imported, so run again with another --report to get the report`;
  }
  process.stdout.write(`${formatSummary(summary)}\n`);
  if (reportFailure !== undefined) {
    process.stderr.write(`${reportFailure}\n`);
    return 1;
  }
  process.stdout.write(`report: ${reportPath}\n`);
  return summary.files.some((file) => file.error !== undefined) ? 1 : 0;
}

/** Imports a contacts feed. Returns 1 when the feed was rejected and the previous one is kept. */
async function importContactsCommand(file: string, database: string | undefined): Promise<number> {
  if (database === undefined && /^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL ?? "")) {
    process.stderr.write(
      "DATABASE_URL selects PostgreSQL, which this importer cannot write; import the feed with node editor-api/cli/import-contacts.ts FILE\n",
    );
    return 2;
  }
  const databasePath = resolve(database ?? process.env.DATABASE_PATH ?? "var/editor.db");
  await mkdir(dirname(databasePath), { recursive: true });
  const report = await importContactsFile(resolve(file), { databasePath });
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
      `database ${databasePath}\n`,
  );
  return 0;
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
