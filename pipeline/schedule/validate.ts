/**
 * Checks a staged export file from end to end before anything is imported. The file must open as
 * CSV or XLSX, its header row must be a known export layout, every row must parse and have every
 * cell, and it must have data rows. Rows that the importer would reject for their values (a bad date, a missing
 * title) do not fail the file.
 */
import { checkCellCount, detectLayout, isLayoutError, openExport } from "../import/index.ts";

export interface ValidationFailure {
  code: string;
  message: string;
  /** Line of the CSV record or XLSX row where reading failed. */
  line?: number;
}

export type ValidationResult = { ok: true; rows: number } | { ok: false; error: ValidationFailure };

/** Reads every row of `file` without writing anything and returns the row count or the failure. */
export async function validateExport(file: string): Promise<ValidationResult> {
  let rows = 0;
  try {
    const exportFile = await openExport(file);
    const layout = detectLayout(exportFile.headers);
    if (isLayoutError(layout)) {
      await exportFile.rows.return(undefined);
      return { ok: false, error: { code: layout.code, message: layout.message } };
    }
    for await (const row of exportFile.rows) {
      rows += 1;
      // A row with missing cells marks a file cut short or damaged, so the whole file is held
      // back instead of importing the rows before it.
      const issue = checkCellCount(row, exportFile.format, exportFile.headers);
      if (issue?.severity === "rejected") {
        return { ok: false, error: { code: issue.code, message: issue.reason, line: row.line } };
      }
    }
  } catch (error) {
    const failure = error as Error & { code?: unknown; line?: unknown };
    const code = typeof failure.code === "string" ? failure.code : "READ_FAILED";
    const line = typeof failure.line === "number" ? failure.line : undefined;
    return { ok: false, error: { code, message: failure.message, line } };
  }
  if (rows === 0) {
    return {
      ok: false,
      error: {
        code: "EMPTY_EXPORT",
        message:
          "the export has a header row but no project rows. A daily export is never empty, so it was not imported",
      },
    };
  }
  return { ok: true, rows };
}
