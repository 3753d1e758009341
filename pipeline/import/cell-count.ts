/**
 * Compares the cell count of an export row with its header row. An export writes every cell of
 * every row, so a CSV row with fewer cells is a file cut short or a line break outside quotes.
 * Such a row is rejected, because mapping it would blank the missing fields on the card.
 *
 * NOTE: a file cut exactly at the end of a row, or inside the last cell of a row, still has full
 * rows, so it is not caught here. The scheduled import catches a download cut short by its
 * Content-Length, when the server sends one.
 */
import { columnLetter } from "./layout.ts";
import type { RowIssue } from "./map.ts";
import type { ExportFormat, ExportRow } from "./reader.ts";

/** Returns the issue of a row with too few or too many cells, or undefined for a full row. */
export function checkCellCount(
  row: ExportRow,
  format: ExportFormat,
  headers: readonly string[],
): RowIssue | undefined {
  const expected = headers.length;
  // An XLSX row leaves out its empty trailing cells, so only CSV rows can be short.
  if (format === "csv" && row.fieldCount < expected) {
    const index = row.fieldCount;
    const letter = columnLetter(index);
    return {
      severity: "rejected",
      code: "MISSING_CELLS",
      reason: `the row has ${row.fieldCount} cells but the header has ${expected}, so column ${letter} and the ones after it are missing; the file may be cut short or a cell may contain a line break outside quotes, so export the file again or fix that row. The card was not changed`,
      column: { header: headers[index] as string, index, letter },
    };
  }
  if (row.fieldCount > expected) {
    return {
      severity: "warning",
      code: "EXTRA_CELLS",
      reason: `the row has ${row.fieldCount} cells but the header has ${expected}; the cells past the last header are ignored`,
    };
  }
  return undefined;
}
