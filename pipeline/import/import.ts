/**
 * Imports export files into project cards: reads each file as a stream, maps every row, and
 * merges the cards into the content folder, several writes at a time.
 *
 * A bad row is reported and skipped, and never stops the run. A file that cannot be read, or is
 * not an export, is reported in its summary (`error`) and the run goes on with the next file.
 */
import { performance } from "node:perf_hooks";
import { cardPath } from "../card/index.ts";
import { checkCellCount } from "./cell-count.ts";
import { detectLayout, isLayoutError, type Layout } from "./layout.ts";
import { type ImportedCard, type RowIssue, rowToCard } from "./map.ts";
import { type ExportRow, openExport } from "./reader.ts";
import {
  emptyFileSummary,
  type FileSummary,
  type ImportSummary,
  type ReportEntry,
  totalsOf,
  truncateValue,
} from "./report.ts";
import { type CardWriter, localWriter, type WriteContext, workerWriter } from "./writer.ts";

export interface ImportProgress {
  file: string;
  rowsRead: number;
  rowsPerSecond: number;
}

export interface ImportOptions {
  contentDir: string;
  /** Source of the report's timestamps; durations use a monotonic timer. */
  clock?: () => Date;
  /** Called every `PROGRESS_EVERY` rows and at the end of each file. */
  onProgress?: (progress: ImportProgress) => void;
  /** Card writes in flight at once. */
  concurrency?: number;
  /**
   * Thread that serialises and writes the cards: `main` (the default) is the calling thread,
   * `worker` a worker thread beside the reading and mapping. The worker pays only when a core
   * is idle: on a loaded 2-core machine it measured slower and took about 100 MB more.
   */
  writeThread?: "worker" | "main";
  /**
   * Stops the run: reading stops after the current row, writes in flight finish, and the file
   * and every later file get an `ABORTED` error.
   */
  signal?: AbortSignal;
}

const PROGRESS_EVERY = 250;
const DEFAULT_CONCURRENCY = 32;
/** Cap on the report entries kept in memory: a few hundred bytes each, so some tens of MB. */
const MAX_REPORT_ENTRIES = 100_000;

/** State shared by the rows of one run, to find repeated identifiers and file-name clashes. */
interface RunState {
  options: ImportOptions;
  /** Report entries, at most `MAX_REPORT_ENTRIES` and a last `REPORT_TRUNCATED` one. */
  entries: ReportEntry[];
  /** Card path to the identifier and place of the row that last claimed it. */
  claims: Map<string, { id: string; file: string; line: number }>;
  /** Card path to the write in flight for it, so two rows for one card write in row order. */
  inFlight: Map<string, Promise<void>>;
  pending: Set<Promise<void>>;
  writer: CardWriter;
  /** Summary of the file being imported, which late write failures are counted in. */
  summary?: FileSummary;
}

/** Imports `files` in order and returns the counts and report entries of the run. */
export async function importFiles(files: string[], options: ImportOptions): Promise<ImportSummary> {
  const clock = options.clock ?? (() => new Date());
  const startedAt = clock().toISOString();
  const start = performance.now();
  const state: RunState = {
    options,
    entries: [],
    claims: new Map(),
    inFlight: new Map(),
    pending: new Set(),
    writer: undefined as unknown as CardWriter,
  };
  const onLateFailure = (context: WriteContext, failure: { code: string; message: string }) =>
    lateFailure(state, context, failure);
  state.writer =
    options.writeThread === "worker"
      ? workerWriter(options.contentDir, onLateFailure)
      : localWriter(options.contentDir, onLateFailure);

  const summaries: FileSummary[] = [];
  try {
    for (const file of files) summaries.push(await importFile(file, state));
  } finally {
    await state.writer.close();
  }

  return {
    startedAt,
    finishedAt: clock().toISOString(),
    contentDir: options.contentDir,
    files: summaries,
    totals: totalsOf(summaries, performance.now() - start),
    entries: state.entries,
  };
}

async function importFile(path: string, state: RunState): Promise<FileSummary> {
  const name = path;
  const summary = emptyFileSummary(name);
  state.summary = summary;
  const start = performance.now();
  const progress = () => {
    const seconds = (performance.now() - start) / 1000;
    const rowsPerSecond = seconds > 0 ? Math.round(summary.rowsRead / seconds) : 0;
    state.options.onProgress?.({ file: name, rowsRead: summary.rowsRead, rowsPerSecond });
  };

  try {
    state.options.signal?.throwIfAborted();
    const exportFile = await openExport(path);
    summary.format = exportFile.format;
    const layout = detectLayout(exportFile.headers);
    if (isLayoutError(layout)) {
      await exportFile.rows.return(undefined);
      summary.error = { code: layout.code, message: layout.message };
      return summary;
    }
    summary.layout = layout.kind;

    for await (const row of exportFile.rows) {
      state.options.signal?.throwIfAborted();
      summary.rowsRead += 1;
      const cellIssue = checkCellCount(row, exportFile.format, exportFile.headers);
      if (cellIssue?.severity === "rejected") {
        const idColumn = layout.columns.identifier;
        const identifier = idColumn === undefined ? undefined : row.values[idColumn.header];
        record(state, summary, name, row.line, identifier, cellIssue);
        summary.rejected += 1;
      } else {
        if (cellIssue !== undefined) record(state, summary, name, row.line, undefined, cellIssue);
        await importRow(state, summary, name, row, layout);
      }
      if (summary.rowsRead % PROGRESS_EVERY === 0) progress();
    }
    state.options.signal?.throwIfAborted();
    progress();
  } catch (error) {
    const failure = error as Error & { code?: string; line?: number };
    if (state.options.signal?.aborted) {
      summary.error = {
        code: "ABORTED",
        message: "the import was stopped before the end of this file",
      };
    } else if (failure.code === "ENOENT") {
      summary.error = {
        code: "FILE_NOT_FOUND",
        message: `file not found: ${path}; check the path`,
      };
    } else {
      const code = typeof failure.code === "string" ? failure.code : "READ_FAILED";
      summary.error = { code, message: failure.message };
    }
    if (typeof failure.line === "number" && failure.line > 0) summary.error.line = failure.line;
  } finally {
    await Promise.all(state.pending);
    await state.writer.flush();
    summary.durationMs = Math.round(performance.now() - start);
  }
  return summary;
}

/** Maps one row with a full set of cells and starts the write of its card. */
async function importRow(
  state: RunState,
  summary: FileSummary,
  file: string,
  row: ExportRow,
  layout: Layout,
): Promise<void> {
  const mapped = rowToCard(row, layout);
  const identifier = mapped.ok ? mapped.card.id : undefined;
  for (const issue of mapped.issues) {
    record(state, summary, file, row.line, identifier, issue);
  }
  if (mapped.ok) await scheduleWrite(state, summary, file, row.line, mapped.card, layout);
  else summary.rejected += 1;
}

/**
 * Copies a string taken from a cell. V8 keeps a substring as a view of the whole text chunk it
 * was cut from, so a kept substring would keep each 64 KB chunk of the file alive.
 */
function detach(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}

function record(
  state: RunState,
  summary: FileSummary,
  file: string,
  line: number,
  identifier: string | undefined,
  issue: RowIssue,
): void {
  if (issue.severity === "warning") summary.warnings += 1;
  const entry: ReportEntry = {
    severity: issue.severity,
    code: issue.code,
    file,
    line,
    reason: issue.reason,
  };
  if (issue.column) {
    const { header, letter, index } = issue.column;
    entry.column = { header, letter, index };
  }
  if (issue.value !== undefined) entry.value = detach(truncateValue(issue.value) as string);
  if (identifier !== undefined) entry.identifier = detach(identifier);
  if (state.entries.length < MAX_REPORT_ENTRIES) {
    state.entries.push(entry);
  } else if (state.entries.length === MAX_REPORT_ENTRIES) {
    state.entries.push({
      severity: "warning",
      code: "REPORT_TRUNCATED",
      file,
      line,
      reason: `the report lists the first ${MAX_REPORT_ENTRIES} entries only; the counts include every row`,
    });
  }
}

/**
 * Starts the write of one card, waiting first when `concurrency` writes are in flight. A row
 * whose card path another identifier already claimed in this run is rejected. A repeated
 * identifier wins over the earlier row and is reported as a warning.
 */
async function scheduleWrite(
  state: RunState,
  summary: FileSummary,
  file: string,
  line: number,
  card: ImportedCard,
  layout: Layout,
): Promise<void> {
  const { contentDir } = state.options;
  const path = cardPath(contentDir, card.programme, card.id);
  const claim = state.claims.get(path);
  if (claim !== undefined && claim.id !== card.id) {
    summary.rejected += 1;
    record(state, summary, file, line, card.id, {
      severity: "rejected",
      code: "FILE_NAME_CLASH",
      reason: `identifier ${card.id} maps to the same card file as ${claim.id} (${claim.file} line ${claim.line}); rename one of the identifiers`,
      column: layout.columns.identifier,
      value: card.id,
    });
    return;
  }
  if (claim !== undefined) {
    record(state, summary, file, line, card.id, {
      severity: "warning",
      code: "DUPLICATE_IDENTIFIER",
      reason: `identifier ${card.id} was already imported from ${claim.file} line ${claim.line}; this later row wins`,
      column: layout.columns.identifier,
      value: card.id,
    });
  }
  state.claims.set(path, { id: detach(card.id), file, line });

  while (state.pending.size >= (state.options.concurrency ?? DEFAULT_CONCURRENCY)) {
    await Promise.race(state.pending);
  }
  const previous = state.inFlight.get(path) ?? Promise.resolve();
  const write = previous.then(async () => {
    try {
      const outcome = await state.writer.write(card, { file, line, identifier: card.id });
      summary[outcome] += 1;
    } catch (error) {
      const failure = error as { code: string; message: string };
      summary.rejected += 1;
      record(state, summary, file, line, card.id, {
        severity: "rejected",
        code: failure.code,
        reason: failure.message,
      });
    }
  });
  const tracked = write.finally(() => {
    state.pending.delete(tracked);
    if (state.inFlight.get(path) === tracked) state.inFlight.delete(path);
  });
  state.pending.add(tracked);
  state.inFlight.set(path, tracked);
}

/** Counts a write that failed once staged, after its outcome was counted, as a rejection. */
function lateFailure(
  state: RunState,
  context: WriteContext,
  failure: { code: string; message: string },
): void {
  const summary = state.summary;
  if (summary === undefined) return;
  summary[context.outcome] -= 1;
  summary.rejected += 1;
  record(state, summary, context.file, context.line, context.identifier, {
    severity: "rejected",
    code: failure.code,
    reason: failure.message,
  });
}
