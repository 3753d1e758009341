/**
 * Checks a contacts feed file before it is parsed as CSV. A binary file, a file in another
 * encoding or another export (a projects export, say) is then rejected in one readable line, and
 * not with a CSV parser message that repeats the raw bytes.
 */
import { open } from "node:fs/promises";
import { escapeControlCharacters } from "../import/limits.ts";
import { findInvalidUtf8 } from "../import/utf8.ts";
import { CONTACT_COLUMNS, FEED_DELIMITER, type FeedIssue } from "./format.ts";

/** Bytes read from the start of the file to look for NUL bytes and the header line. */
const HEAD_BYTES = 1 << 16;
/** Header cells shown in the message, and the maximum length of each. */
const SHOWN_CELLS = 8;
const MAX_CELL_LENGTH = 40;

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Builds the issue for a header that is not the feed's, listing the expected header and the first
 * cells found, cut short and with control characters escaped.
 */
export function wrongHeaderIssue(
  cells: string[],
  file: string,
  line: number,
  delimiter: string = FEED_DELIMITER,
): FeedIssue {
  const shown = cells
    .slice(0, SHOWN_CELLS)
    .map((cell) => shorten(escapeControlCharacters(cell), MAX_CELL_LENGTH));
  const found = `${shown.join(delimiter)}${cells.length > SHOWN_CELLS ? `${delimiter}…` : ""}`;
  return {
    file,
    line,
    value: found,
    reason: `invalid header: expected "${CONTACT_COLUMNS.join(FEED_DELIMITER)}", found "${found}"; give the contacts feed, not a projects export or another file`,
  };
}

/** Splits a header line on `delimiter` (the feed's by default) and unquotes each cell. */
function headerCells(line: string, delimiter: string = FEED_DELIMITER): string[] {
  return line
    .replace(/^\ufeff/, "")
    .split(delimiter)
    .map((cell) =>
      cell
        .trim()
        .replace(/^"(.*)"$/s, "$1")
        .replaceAll('""', '"')
        .trim(),
    );
}

/**
 * Returns the issue that makes the file at `path` unusable as a feed: NUL bytes (a binary file),
 * invalid UTF-8, or a header line that is not the feed's. Returns undefined when the file passes,
 * or cannot be opened, which the parser then reports.
 */
export async function checkFeedFile(path: string, file: string): Promise<FeedIssue | undefined> {
  let head: Buffer;
  try {
    const handle = await open(path, "r");
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }

  const nul = head.indexOf(0);
  if (nul !== -1) {
    return {
      file,
      line: 1,
      reason: `not a text file: it contains a NUL byte at offset ${nul}; give the contacts feed as a CSV text file (UTF-8, "${FEED_DELIMITER}" between fields)`,
    };
  }
  const invalid = await findInvalidUtf8(path);
  if (invalid !== undefined) {
    const byte = invalid.byte.toString(16).toUpperCase().padStart(2, "0");
    return {
      file,
      line: invalid.line,
      reason: `not valid UTF-8: byte 0x${byte} at offset ${invalid.offset} on line ${invalid.line}; save the feed as "CSV UTF-8"`,
    };
  }

  const text = head.toString("utf8");
  const end = text.search(/[\r\n]/);
  if (end === -1 && head.length === HEAD_BYTES) {
    return wrongHeaderIssue(headerCells(text), file, 1);
  }
  const cells = headerCells(end === -1 ? text : text.slice(0, end));
  if (cells.length === 1 && cells[0] === "") return undefined;
  const matches =
    cells.length === CONTACT_COLUMNS.length &&
    CONTACT_COLUMNS.every((column, index) => cells[index] === column);
  if (matches) return undefined;
  const headerLine = end === -1 ? text : text.slice(0, end);
  if (cells.length === 1 && headerLine.includes(",")) {
    // A comma-separated file, such as a projects export: show its columns one by one.
    const issue = wrongHeaderIssue(headerCells(headerLine, ","), file, 1, ",");
    issue.reason += `; the file has "," between fields, the feed has "${FEED_DELIMITER}"`;
    return issue;
  }
  return wrongHeaderIssue(cells, file, 1);
}
