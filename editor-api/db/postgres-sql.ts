/**
 * Rewrites the SQLite SQL of the editor API for PostgreSQL. The code keeps one SQL text per
 * query, written in the subset both databases accept. This module covers the differences that
 * have no portable spelling: parameter markers, the transaction start, and the column types of
 * `CREATE TABLE`.
 */
import type { NamedParameters, SqlInput } from "./database.ts";

/** SQL with `$n` markers and, per marker, the positional index or parameter name it binds. */
export interface BoundSql {
  text: string;
  /**
   * Sources of the markers. Entry `n - 1` feeds `$n` and is a positional index or a parameter
   * name.
   */
  sources: (number | string)[];
}

/** Error codes of this module, stable for callers and tests. */
export type SqlTranslationCode = "MISSING_PARAMETER" | "UNSUPPORTED_PARAMETER";

/**
 * Error for an unsupported parameter marker, or for values given to a statement that do not
 * match its parameter markers.
 */
export class SqlTranslationError extends Error {
  readonly code: SqlTranslationCode;
  constructor(code: SqlTranslationCode, message: string) {
    super(message);
    this.name = "SqlTranslationError";
    this.code = code;
  }
}

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;

/**
 * Replaces SQLite's `?`, `:name`, `@name` and `$name` markers by PostgreSQL's `$n`, skipping
 * string literals, quoted identifiers and comments. A name used twice binds one `$n`.
 */
export function bindMarkers(sql: string): BoundSql {
  const sources: (number | string)[] = [];
  const byName = new Map<string, number>();
  let positional = 0;
  let text = "";
  let index = 0;
  while (index < sql.length) {
    const char = sql[index] as string;
    const skipped = skipQuotedOrComment(sql, index);
    if (skipped > index) {
      text += sql.slice(index, skipped);
      index = skipped;
      continue;
    }
    if (char === "?") {
      if (/[0-9]/.test(sql[index + 1] ?? "")) {
        throw new SqlTranslationError(
          "UNSUPPORTED_PARAMETER",
          `Numbered parameter at offset ${index} of "${sql}" is not supported. Use ? or :name instead.`,
        );
      }
      sources.push(positional++);
      text += `$${sources.length}`;
      index++;
      continue;
    }
    const isCast = char === ":" && (sql[index + 1] === ":" || sql[index - 1] === ":");
    if ((char === ":" || char === "@" || char === "$") && !isCast) {
      if (NAME_START.test(sql[index + 1] ?? "")) {
        let end = index + 2;
        while (end < sql.length && NAME_PART.test(sql[end] as string)) end++;
        const name = sql.slice(index + 1, end);
        let marker = byName.get(name);
        if (marker === undefined) {
          sources.push(name);
          marker = sources.length;
          byName.set(name, marker);
        }
        text += `$${marker}`;
        index = end;
        continue;
      }
    }
    text += char;
    index++;
  }
  return { text, sources };
}

/** Returns the offset after a string literal, quoted identifier or comment at `index`, or `index`. */
function skipQuotedOrComment(sql: string, index: number): number {
  const char = sql[index];
  if (char === "'" || char === '"' || char === "`") {
    let end = index + 1;
    while (end < sql.length) {
      if (sql[end] === char) {
        if (sql[end + 1] === char) {
          end += 2;
          continue;
        }
        return end + 1;
      }
      end++;
    }
    return sql.length;
  }
  if (char === "-" && sql[index + 1] === "-") {
    const end = sql.indexOf("\n", index);
    return end === -1 ? sql.length : end + 1;
  }
  if (char === "/" && sql[index + 1] === "*") {
    const end = sql.indexOf("*/", index + 2);
    return end === -1 ? sql.length : end + 2;
  }
  return index;
}

/**
 * Orders the values given to `get`, `all` or `run` for the markers of `bound`, the way
 * `node:sqlite` reads them: an optional object of named values first, then positional values.
 */
export function orderValues(bound: BoundSql, parameters: unknown[], sql: string): SqlInput[] {
  const [first, ...rest] = parameters;
  const hasNamed = typeof first === "object" && first !== null && !ArrayBuffer.isView(first);
  const named = hasNamed ? (first as NamedParameters) : undefined;
  const positional = (hasNamed ? rest : parameters) as SqlInput[];
  return bound.sources.map((source) => {
    if (typeof source === "number") {
      if (source >= positional.length) {
        throw new SqlTranslationError(
          "MISSING_PARAMETER",
          `Statement "${sql}" has more ? markers than the ${positional.length} values given. Pass one value per marker.`,
        );
      }
      return positional[source] as SqlInput;
    }
    const value = namedValue(named, source);
    if (value === undefined) {
      throw new SqlTranslationError(
        "MISSING_PARAMETER",
        `Statement "${sql}" uses :${source}, but no value named "${source}" was given. Add it to the named values.`,
      );
    }
    return value;
  });
}

function namedValue(named: NamedParameters | undefined, name: string): SqlInput | undefined {
  if (!named) return undefined;
  for (const key of [name, `:${name}`, `@${name}`, `$${name}`]) {
    if (Object.hasOwn(named, key)) return named[key];
  }
  return undefined;
}

const BEGIN_WRITE = /^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE)(\s+TRANSACTION)?\s*;?\s*$/i;
const BEGIN_DEFERRED = /^\s*BEGIN\s+DEFERRED(\s+TRANSACTION)?\s*;?\s*$/i;
const CREATE_TABLE = /\bCREATE\s+(TEMP\s+|TEMPORARY\s+)?TABLE\b/i;

/**
 * First key of the advisory lock that replaces SQLite's database write lock. The second key is
 * the hash of the current schema, so each editor database has its own writer lock.
 */
export const WRITE_LOCK_CLASS = 0x45_44_49_54;

/**
 * Rewrites statement text run without parameters (`exec`) for PostgreSQL:
 * - `BEGIN IMMEDIATE` and `BEGIN EXCLUSIVE` start a transaction that first takes the writer
 *   lock, an advisory lock held until COMMIT or ROLLBACK. Writers then run one at a time, as
 *   with SQLite's database lock, across every process sharing the database.
 * - `CREATE TABLE` text gets PostgreSQL column types (see `translateTableDefinitions`).
 */
export function translateScript(sql: string): string {
  if (BEGIN_WRITE.test(sql)) {
    return `BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK_CLASS}, hashtext(current_schema()))`;
  }
  if (BEGIN_DEFERRED.test(sql)) return "BEGIN";
  if (CREATE_TABLE.test(sql)) return translateTableDefinitions(sql);
  return sql;
}

/**
 * Maps SQLite table definitions to PostgreSQL. `INTEGER PRIMARY KEY` (SQLite's row id alias)
 * becomes an identity column. Every other `INTEGER` becomes a `BIGINT`, because SQLite integers
 * are 64-bit and the code stores millisecond times in them. The `STRICT` table option is dropped
 * because PostgreSQL columns are always typed. `COLLATE NOCASE` is kept, because `openPostgres`
 * creates a case-insensitive collation of that name.
 */
export function translateTableDefinitions(sql: string): string {
  return sql
    .replace(/\bINTEGER\s+PRIMARY\s+KEY\b/gi, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
    .replace(/\bINTEGER\b/gi, "BIGINT")
    .replace(/\)\s*STRICT\b/gi, ")");
}
