/**
 * One scheduled import run: downloads every configured export into a staging folder, validates
 * each file from end to end, and only then imports them into the content folder. A failed
 * download or a malformed file stops the run before the import, so the catalogue stays as it
 * was. A rebuild is requested only when cards were created or updated.
 *
 * Every run writes a JSON report. A failed run is also logged and passed to `notify` (helpdesk
 * mail in the server). URLs appear without their query strings in reports and logs.
 */
import { mkdir, readdir, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { writeFileAtomic } from "../card/index.ts";
import { type ImportSummary, importFiles, writeReport } from "../import/index.ts";
import { type DownloadResult, downloadExport } from "./download.ts";
import { acquireLock } from "./lock.ts";
import type { ScheduledImportSettings } from "./settings.ts";
import { validateExport } from "./validate.ts";

export interface ScheduleLogger {
  info: (object: object, message?: string) => void;
  warn: (object: object, message?: string) => void;
  error: (object: object, message?: string) => void;
}

export type RunStatus = "imported" | "unchanged" | "failed" | "skipped";

export interface FileOutcome {
  url: string;
  /** Name of the staged file. */
  file?: string;
  bytes?: number;
  sha256?: string;
  rows?: number;
  error?: { code: string; message: string; line?: number };
}

export interface ScheduledImportReport {
  status: RunStatus;
  startedAt: string;
  finishedAt: string;
  files: FileOutcome[];
  /** Counts of the import, absent when the run stopped before it. */
  totals?: ImportSummary["totals"];
  /** The importer's report with one entry per rejected row or dropped value. */
  importReport?: string;
  rebuildRequested: boolean;
  /** Failure that stopped the run or made it fail after the import. */
  error?: { code: string; message: string };
  /** Path of this report file. */
  reportFile: string;
}

export interface ScheduledImportOptions {
  settings: ScheduledImportSettings;
  contentDir: string;
  logger: ScheduleLogger;
  /** Asks for a site rebuild once cards changed: the rebuild queue in the server. */
  requestRebuild?: (request: { reason: string; changedCards: number }) => unknown;
  /** Sends the report of a failed run to helpdesk. A failure to send is logged only. */
  notify?: (report: ScheduledImportReport) => Promise<void>;
  clock?: () => Date;
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, "-");
}

/** Name of a run's staging folder: the start time, as written by `stamp`. */
const RUN_FOLDER = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

/**
 * Removes staging folders of earlier runs, kept after failures for inspection. Only folders named
 * like a run are removed, so a staging folder set to a shared path loses nothing else.
 */
async function clearOldRuns(stagingDir: string): Promise<void> {
  for (const entry of await readdir(stagingDir, { withFileTypes: true })) {
    if (entry.isDirectory() && RUN_FOLDER.test(entry.name)) {
      await rm(join(stagingDir, entry.name), { recursive: true });
    }
  }
}

function fromDownload(result: DownloadResult): FileOutcome {
  if (!result.ok) return { url: result.url, error: result.error };
  return {
    url: result.url,
    file: basename(result.file),
    bytes: result.bytes,
    sha256: result.sha256,
  };
}

/** Runs one scheduled import and returns its report, which is also written to the report folder. */
export async function runScheduledImport(
  options: ScheduledImportOptions,
): Promise<ScheduledImportReport> {
  const { settings, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const started = clock();
  await mkdir(settings.stagingDir, { recursive: true });
  await mkdir(settings.reportDir, { recursive: true });
  const report: ScheduledImportReport = {
    status: "failed",
    startedAt: started.toISOString(),
    finishedAt: "",
    files: [],
    rebuildRequested: false,
    reportFile: join(settings.reportDir, `scheduled-import-${stamp(started)}.json`),
  };

  const release = await acquireLock(join(settings.stagingDir, "import.lock"));
  if (!release) {
    report.status = "skipped";
    report.error = {
      code: "IMPORT_RUNNING",
      message: "another scheduled import is running on this machine; this run was skipped",
    };
    logger.warn({ reportFile: report.reportFile }, "scheduled import skipped, another is running");
    return finish(report, options, clock);
  }
  try {
    await clearOldRuns(settings.stagingDir);
    const runDir = join(settings.stagingDir, stamp(started));
    await mkdir(runDir);
    logger.info({ files: settings.urls.length, runDir }, "scheduled import started");
    const staged = await stageFiles(report, options, runDir);
    if (staged === undefined) return await finish(report, options, clock);

    const summary = await importFiles(staged, { contentDir: options.contentDir, clock });
    report.importReport = join(settings.reportDir, `import-${stamp(started)}.json`);
    await writeReport(report.importReport, summary);
    report.totals = summary.totals;
    const failedFile = summary.files.find((file) => file.error !== undefined);
    const changed = summary.totals.created + summary.totals.updated;
    if (failedFile?.error) {
      // Validation read the whole file, so this is a write failure, such as a full disk.
      report.error = {
        code: "IMPORT_FAILED",
        message: `importing ${basename(failedFile.file)} failed (${failedFile.error.code}: ${failedFile.error.message}); ${changed} cards were already written`,
      };
    } else {
      report.status = changed > 0 ? "imported" : "unchanged";
    }
    if (changed > 0) await requestRebuild(report, options, changed);
    if (report.status !== "failed") await rm(runDir, { recursive: true });
    return await finish(report, options, clock);
  } finally {
    await release();
  }
}

/** Downloads and validates every file, and returns their paths, or undefined after a failure. */
async function stageFiles(
  report: ScheduledImportReport,
  options: ScheduledImportOptions,
  runDir: string,
): Promise<string[] | undefined> {
  const { settings } = options;
  const files: string[] = [];
  for (const [index, url] of settings.urls.entries()) {
    const result = await downloadExport(url, {
      dir: runDir,
      index,
      timeoutMs: settings.timeoutMs,
      maxBytes: settings.maxBytes,
    });
    report.files.push(fromDownload(result));
    if (!result.ok) {
      report.error = result.error;
      return undefined;
    }
    files.push(result.file);
  }
  for (const [index, file] of files.entries()) {
    const outcome = report.files[index];
    const validation = await validateExport(file);
    if (!validation.ok) {
      outcome.error = validation.error;
      const at = validation.error.line === undefined ? "" : ` at line ${validation.error.line}`;
      report.error = {
        code: "EXPORT_INVALID",
        message: `${outcome.url} is not a valid export${at} (${validation.error.code}: ${validation.error.message}); nothing was imported`,
      };
      return undefined;
    }
    outcome.rows = validation.rows;
  }
  return files;
}

async function requestRebuild(
  report: ScheduledImportReport,
  options: ScheduledImportOptions,
  changed: number,
): Promise<void> {
  if (!options.requestRebuild) return;
  try {
    await options.requestRebuild({
      reason: `scheduled import: ${changed} cards`,
      changedCards: changed,
    });
    report.rebuildRequested = true;
  } catch (error) {
    options.logger.error({ err: error }, "scheduled import could not request a rebuild");
    report.status = "failed";
    report.error = {
      code: "REBUILD_REQUEST_FAILED",
      message: `${changed} cards changed but the rebuild request failed (${(error as Error).message}); request a rebuild by hand`,
    };
  }
}

async function finish(
  report: ScheduledImportReport,
  options: ScheduledImportOptions,
  clock: () => Date,
): Promise<ScheduledImportReport> {
  const { logger } = options;
  report.finishedAt = clock().toISOString();
  await writeFileAtomic(report.reportFile, `${JSON.stringify(report, null, 2)}\n`);
  const fields = { status: report.status, reportFile: report.reportFile, totals: report.totals };
  if (report.status !== "failed") {
    logger.info(fields, "scheduled import finished");
    return report;
  }
  logger.error({ ...fields, error: report.error }, "scheduled import failed");
  if (options.notify) {
    try {
      await options.notify(report);
    } catch (error) {
      logger.error({ err: error }, "scheduled import failure notification failed");
    }
  }
  return report;
}
