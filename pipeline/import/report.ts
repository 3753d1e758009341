/**
 * The import report: counts per file and in total, and one entry per rejected row or dropped
 * value, naming the file, line, column, value and reason. Written as JSON for officers and CI.
 */
import { writeFileAtomic } from "../card/index.ts";
import type { LayoutKind } from "./layout.ts";

/** Maximum length of a cell value repeated in the report. Longer values are cut and end with `…`. */
const MAX_VALUE_LENGTH = 300;

export interface ReportEntry {
  severity: "rejected" | "warning";
  code: string;
  file: string;
  /** Physical line where the CSV record starts, or the XLSX row number. */
  line: number;
  column?: { header: string; letter: string; index: number };
  value?: string;
  reason: string;
  /** Project identifier of the row, when the row has one. */
  identifier?: string;
}

export interface FileSummary {
  file: string;
  format?: "csv" | "xlsx";
  layout?: LayoutKind;
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  warnings: number;
  durationMs: number;
  /** Set when the file could not be read or is not an export; rows before the failure count. */
  error?: { code: string; message: string; line?: number };
}

export interface ImportSummary {
  startedAt: string;
  finishedAt: string;
  contentDir: string;
  files: FileSummary[];
  totals: Omit<FileSummary, "file" | "format" | "layout" | "error"> & { rowsPerSecond: number };
  entries: ReportEntry[];
}

export function emptyFileSummary(file: string): FileSummary {
  return {
    file,
    rowsRead: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    warnings: 0,
    durationMs: 0,
  };
}

export function truncateValue(value: string | undefined): string | undefined {
  if (value === undefined || value.length <= MAX_VALUE_LENGTH) return value;
  return `${value.slice(0, MAX_VALUE_LENGTH - 1)}…`;
}

/** Adds up the file summaries. */
export function totalsOf(files: FileSummary[], durationMs: number): ImportSummary["totals"] {
  const totals = { ...emptyFileSummary(""), durationMs };
  for (const file of files) {
    totals.rowsRead += file.rowsRead;
    totals.created += file.created;
    totals.updated += file.updated;
    totals.unchanged += file.unchanged;
    totals.rejected += file.rejected;
    totals.warnings += file.warnings;
  }
  const { file: _, ...rest } = totals;
  const rowsPerSecond = durationMs > 0 ? Math.round((totals.rowsRead * 1000) / durationMs) : 0;
  return { ...rest, rowsPerSecond };
}

/**
 * Adds a `NO_DATA_ROWS` warning for each file read without error that has a header but no data
 * row, and counts it in the file's and the run's warnings.
 */
export function warnEmptyFiles(summary: ImportSummary): void {
  for (const file of summary.files) {
    if (file.error !== undefined || file.rowsRead > 0) continue;
    file.warnings += 1;
    summary.totals.warnings += 1;
    summary.entries.push({
      severity: "warning",
      code: "NO_DATA_ROWS",
      file: file.file,
      line: 1,
      reason: NO_DATA_ROWS_REASON,
    });
  }
}

const NO_DATA_ROWS_REASON =
  "no data rows: the file has a header row only; check that the export was not cut short";

function countsLine(counts: Omit<FileSummary, "file" | "durationMs">): string {
  return [
    `${counts.rowsRead} rows read`,
    `${counts.created} created`,
    `${counts.updated} updated`,
    `${counts.unchanged} unchanged`,
    `${counts.rejected} rejected`,
    `${counts.warnings} warnings`,
  ].join(", ");
}

/** Formats the summary printed at the end of a run, one line per file and a total. */
export function formatSummary(summary: ImportSummary): string {
  const lines = summary.files.map((file) => {
    const head = `${file.file}${file.layout ? ` (${file.layout})` : ""}: ${countsLine(file)}`;
    if (file.error) return `${head}\n  failed: ${file.error.message}`;
    const cut = cutRowLines(summary.entries, file.file);
    if (cut !== "") return `${head}${cut}`;
    const empty =
      file.rowsRead === 0 &&
      summary.entries.some((entry) => entry.code === "NO_DATA_ROWS" && entry.file === file.file);
    return empty ? `${head}\n  warning: ${NO_DATA_ROWS_REASON}` : head;
  });
  const seconds = (summary.totals.durationMs / 1000).toFixed(1);
  lines.push(
    `total: ${countsLine(summary.totals)} in ${seconds} s (${summary.totals.rowsPerSecond} rows/s)`,
  );
  return lines.join("\n");
}

/** Maximum rows with missing cells that the summary prints per file. The report lists all. */
const MAX_PRINTED_CUT_ROWS = 3;

/**
 * Formats the rows of `file` rejected for missing cells, one line each. Such a row usually means
 * that the file was cut short, so the summary shows it without the officer opening the report.
 */
function cutRowLines(entries: ReportEntry[], file: string): string {
  const cut = entries.filter((entry) => entry.code === "MISSING_CELLS" && entry.file === file);
  const lines = cut
    .slice(0, MAX_PRINTED_CUT_ROWS)
    .map((entry) => `\n  rejected line ${entry.line}: ${entry.reason}`);
  if (cut.length > MAX_PRINTED_CUT_ROWS) {
    lines.push(
      `\n  ${cut.length - MAX_PRINTED_CUT_ROWS} more rows with missing cells in the report`,
    );
  }
  return lines.join("");
}

/** Writes the report as pretty-printed JSON, atomically. */
export async function writeReport(path: string, summary: ImportSummary): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(summary, null, 2)}\n`);
}

/** Default report path: `reports/import-<timestamp>.json`, the timestamp safe in file names. */
export function defaultReportPath(now: Date): string {
  return `reports/import-${now.toISOString().replace(/[:.]/g, "-")}.json`;
}
