/** Recognises database errors the same way on SQLite and PostgreSQL. */

/** SQLite extended result codes of a UNIQUE and a PRIMARY KEY constraint failure. */
const SQLITE_UNIQUE_CODES = new Set([2067, 1555]);

/** PostgreSQL's SQLSTATE for a unique violation. */
const POSTGRES_UNIQUE_VIOLATION = "23505";

/** Tells whether `error` is a UNIQUE (or primary key) constraint failure of either database. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const fields = error as Error & { code?: unknown; errcode?: unknown };
  if (fields.code === POSTGRES_UNIQUE_VIOLATION) return true;
  if (typeof fields.errcode === "number" && SQLITE_UNIQUE_CODES.has(fields.errcode)) return true;
  return /UNIQUE constraint failed/.test(error.message);
}
