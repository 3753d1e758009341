/**
 * `npm run import:scheduled`: one scheduled import run for a CI schedule or cron. Settings come
 * from the environment (IMPORT_URLS and the other IMPORT_ variables, CONTENT_DIR). It prints the
 * report path and writes `changed=true|false` and `report=PATH` to $GITHUB_OUTPUT when set, so a
 * workflow builds the site only when cards changed.
 *
 * Exit codes: 0 imported or unchanged, 1 the run failed (catalogue as it was before the run,
 * unless the report states that cards were written), 2 wrong settings, 3 another run is in progress.
 */
import { appendFile } from "node:fs/promises";
import { resolve } from "node:path";
import pino from "pino";
import { runScheduledImport } from "./run.ts";
import { loadScheduledImportSettings } from "./settings.ts";

/** Runs the command and returns the exit code. */
export async function main(env: Record<string, string | undefined>): Promise<number> {
  const { settings, problems } = loadScheduledImportSettings(env);
  if (problems.length > 0 || !settings) {
    const lines =
      problems.length > 0
        ? problems
        : [
            "IMPORT_URLS: must list at least one export URL (missing); set it to the URLs of the day's exports, separated by spaces",
          ];
    process.stderr.write(`${lines.join("\n")}\n`);
    return 2;
  }
  const logger = pino({ name: "scheduled-import" }, pino.destination(2));
  const report = await runScheduledImport({
    settings,
    contentDir: resolve(env.CONTENT_DIR || "content"),
    logger,
  });
  const changed = (report.totals?.created ?? 0) + (report.totals?.updated ?? 0) > 0;
  if (env.GITHUB_OUTPUT) {
    await appendFile(env.GITHUB_OUTPUT, `changed=${changed}\nreport=${report.reportFile}\n`);
  }
  process.stdout.write(`${report.status}: ${report.reportFile}\n`);
  if (report.status === "skipped") return 3;
  return report.status === "failed" ? 1 : 0;
}

if (import.meta.main) {
  process.exitCode = await main(process.env);
}
