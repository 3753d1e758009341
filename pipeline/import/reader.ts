/**
 * Opens an export file of either format and streams its data rows as header-keyed values.
 */
import { open } from "node:fs/promises";
import { extname } from "node:path";
import { readCsvRecords } from "./csv-reader.ts";
import { readXlsxRows } from "./xlsx-reader.ts";

/**
 * One data row. `line` is the physical line where the record starts (CSV) or the worksheet row
 * number (XLSX). `values` maps each header as written to its cell, leaving out empty cells.
 */
export interface ExportRow {
  line: number;
  values: Record<string, string>;
  /** Number of cells in the row, to compare with the header's. */
  fieldCount: number;
}

export type ExportFormat = "csv" | "xlsx";

export interface ExportFile {
  format: ExportFormat;
  headers: string[];
  rows: AsyncGenerator<ExportRow>;
}

/** An export that cannot be opened: an unsupported format or an empty file. */
export class ExportFileError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = "ExportFileError";
    this.code = code;
  }
}

const ZIP_MAGIC = "504b0304";
/** Compound File Binary header of the legacy Excel 97-2003 `.xls` (BIFF8) format. */
const CFB_MAGIC = "d0cf11e0a1b11ae1";

/** Turns a failure to open `path` into one line that names the file and what to do. */
function openError(path: string, error: unknown): Error {
  const code = (error as { code?: unknown }).code;
  if (code === "ENOENT") {
    return new ExportFileError("FILE_NOT_FOUND", `file not found: ${path}; check the path`);
  }
  if (code === "EISDIR") {
    return new ExportFileError(
      "IS_A_DIRECTORY",
      `${path} is a directory; give export files (.csv or .xlsx), not a folder`,
    );
  }
  if (code === "EACCES" || code === "EPERM") {
    return new ExportFileError(
      "FILE_NOT_READABLE",
      `cannot read ${path} (${code}); check the file's permissions`,
    );
  }
  return error as Error;
}

async function detectFormat(path: string): Promise<ExportFormat> {
  const head = Buffer.alloc(8);
  try {
    const handle = await open(path, "r");
    try {
      await handle.read(head, 0, 8, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw openError(path, error);
  }
  const magic = head.toString("hex");
  const extension = extname(path).toLowerCase();
  if (magic === CFB_MAGIC || extension === ".xls") {
    throw new ExportFileError(
      "XLS_NOT_SUPPORTED",
      "legacy Excel 97-2003 (.xls) files are not supported; open the file in a spreadsheet program and save it as CSV UTF-8 (.csv) or Excel Workbook (.xlsx)",
    );
  }
  if (magic.startsWith(ZIP_MAGIC)) return "xlsx";
  if (extension === ".xlsx") {
    throw new ExportFileError(
      "XLSX_NOT_A_ZIP",
      `${path} is not a valid XLSX (zip) file; export it again, or open it in the spreadsheet program and save it as Excel Workbook (.xlsx)`,
    );
  }
  return "csv";
}

function toValues(headers: string[], cells: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  const count = Math.min(headers.length, cells.length);
  for (let i = 0; i < count; i += 1) {
    const cell = cells[i] as string;
    if (cell !== "") {
      const header = headers[i] as string;
      if (!(header in values)) values[header] = cell;
    }
  }
  return values;
}

async function* withHeaders(
  source: AsyncGenerator<{ line: number; cells: string[] }>,
  headers: string[],
): AsyncGenerator<ExportRow> {
  try {
    for await (const { line, cells } of source) {
      yield { line, values: toValues(headers, cells), fieldCount: cells.length };
    }
  } finally {
    await source.return(undefined);
  }
}

async function* csvSource(path: string) {
  for await (const record of readCsvRecords(path)) {
    yield { line: record.line, cells: record.fields };
  }
}

async function* xlsxSource(path: string) {
  for await (const sheetRow of readXlsxRows(path)) {
    yield { line: sheetRow.row, cells: sheetRow.cells };
  }
}

/**
 * Opens an export: detects the format from the file's first bytes, reads the header row, and
 * returns the remaining rows as a stream. Throws `ExportFileError` for `.xls` files and files
 * without a header row, and the format readers' errors for unreadable content.
 */
export async function openExport(path: string): Promise<ExportFile> {
  const format = await detectFormat(path);
  const source = format === "xlsx" ? xlsxSource(path) : csvSource(path);
  const first = await source.next();
  if (first.done) {
    throw new ExportFileError("EMPTY_FILE", "the file has no header row; export the file again");
  }
  const headers = first.value.cells.map((header) => header.replace(/^\ufeff/, "").trim());
  return { format, headers, rows: withHeaders(source, headers) };
}

/** Streams the data rows of an export file (CSV or XLSX), header row excluded. */
export async function* readExportRows(path: string): AsyncGenerator<ExportRow> {
  const file = await openExport(path);
  yield* file.rows;
}
