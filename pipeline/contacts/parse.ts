/**
 * Streaming parser of the contacts feed. Rows are read one at a time, each checked on its own, so
 * one bad row is reported with its line and column and the others still count.
 */
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import { escapeControlCharacters } from "../import/limits.ts";
import {
  CONTACT_COLUMNS,
  type ContactRow,
  FEED_DELIMITER,
  type FeedIssue,
  validateContactRecord,
} from "./format.ts";
import { checkFeedFile, wrongHeaderIssue } from "./precheck.ts";

export interface ParsedFeed {
  rows: ContactRow[];
  issues: FeedIssue[];
  /** True when the file as a whole is unusable (wrong header, broken quoting): import nothing. */
  fatal: boolean;
}

/** Parses a feed from a file path, or from a stream named `file` in the issues. */
export async function parseContactsFeed(
  source: string | Readable,
  file?: string,
): Promise<ParsedFeed> {
  const name = file ?? (typeof source === "string" ? basename(source) : "contacts feed");
  if (typeof source === "string") {
    const problem = await checkFeedFile(source, name);
    if (problem !== undefined) return { rows: [], issues: [problem], fatal: true };
  }
  const input = typeof source === "string" ? createReadStream(source) : source;
  const rows: ContactRow[] = [];
  const issues: FeedIssue[] = [];
  const seen = new Map<string, number>();

  const parser = input.pipe(
    parse({
      delimiter: FEED_DELIMITER,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }),
  );

  // `pipe` does not forward a read error (a missing file, say), so pass it on by hand.
  input.on("error", (error: Error) => parser.destroy(error));

  let header = true;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (header) {
        header = false;
        const headerIssue = checkHeader(record, name, info.lines);
        if (headerIssue) {
          input.destroy();
          return { rows: [], issues: [headerIssue], fatal: true };
        }
        continue;
      }

      const checked = validateContactRecord(record, name, info.lines);
      if (!checked.ok) {
        issues.push(...checked.issues);
        continue;
      }
      const key = `${checked.row.projectId}\n${checked.row.email}`;
      const firstLine = seen.get(key);
      if (firstLine !== undefined) {
        issues.push({
          file: name,
          line: info.lines,
          column: "Contact e-mail",
          value: checked.row.email,
          reason: `duplicate of line ${firstLine} for the same project`,
        });
        continue;
      }
      seen.set(key, info.lines);
      rows.push(checked.row);
    }
  } catch (error) {
    const { lines, syscall } = error as { lines?: number; syscall?: string };
    const reason = syscall
      ? `cannot read the file: ${(error as Error).message}`
      : `invalid CSV: ${escapeControlCharacters((error as Error).message)}`;
    issues.push({ file: name, line: lines ?? 0, reason });
    return { rows: [], issues, fatal: true };
  }

  if (header) {
    issues.push({ file: name, line: 1, reason: "the file is empty: expected the header row" });
    return { rows: [], issues, fatal: true };
  }
  return { rows, issues, fatal: false };
}

function checkHeader(record: string[], file: string, line: number): FeedIssue | undefined {
  const found = record.map((cell) => cell.trim());
  const matches =
    found.length === CONTACT_COLUMNS.length &&
    CONTACT_COLUMNS.every((column, index) => found[index] === column);
  return matches ? undefined : wrongHeaderIssue(found, file, line);
}
