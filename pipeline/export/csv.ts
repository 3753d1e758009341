/**
 * CSV writing as RFC 4180 describes it: comma separators, CRLF row ends, and fields quoted when
 * they contain a comma, a quote or a line break (quotes doubled inside).
 */

/** UTF-8 byte order mark, which spreadsheet programs need to read the file as UTF-8. */
export const BOM = "\uFEFF";

/** First characters that make a spreadsheet program read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Prefixes `'` to a cell that a spreadsheet program would run as a formula (one starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return), so that it shows as text. The `'` is part of
 * the value for any other reader.
 */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Quotes one field when RFC 4180 requires it. */
export function csvField(value: string): string {
  if (/[",\r\n]/.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

/** Encodes a row as one CSV record, CRLF included. */
export function csvRecord(
  cells: readonly string[],
  options: { neutralise?: boolean } = {},
): string {
  const fields = options.neutralise
    ? cells.map((cell) => csvField(neutraliseFormula(cell)))
    : cells.map(csvField);
  return `${fields.join(",")}\r\n`;
}
