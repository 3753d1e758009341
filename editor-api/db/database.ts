/**
 * The database connection the editor API works with: the synchronous subset of `node:sqlite`
 * that the code uses. `DatabaseSync` implements it for SQLite and `PostgresDatabase` for
 * PostgreSQL, so domain code keeps one synchronous code path for both.
 */
import type { SQLInputValue, SQLOutputValue } from "node:sqlite";

/** Value bound to a `?` or `:name` parameter. */
export type SqlInput = SQLInputValue;

/** Column value of a result row: integers and text as in SQLite, bytes as a Uint8Array. */
export type SqlOutput = SQLOutputValue;

/** Result row keyed by column name (or alias). */
export type Row = Record<string, SqlOutput>;

/** Named parameters, keyed with or without their `:` prefix. */
export type NamedParameters = Record<string, SqlInput>;

/** Outcome of a statement run for its effect. */
export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number | bigint;
  /** Row id of the last inserted row (PostgreSQL: the last value of a sequence). */
  lastInsertRowid: number | bigint;
}

/** Prepared statement with positional `?` or named `:name` parameters. */
export interface Statement {
  get(...parameters: SqlInput[]): Row | undefined;
  get(named: NamedParameters, ...parameters: SqlInput[]): Row | undefined;
  all(...parameters: SqlInput[]): Row[];
  all(named: NamedParameters, ...parameters: SqlInput[]): Row[];
  run(...parameters: SqlInput[]): RunResult;
  run(named: NamedParameters, ...parameters: SqlInput[]): RunResult;
}

/** Open connection to the editor database. Every call blocks until the database has replied. */
export interface Database {
  prepare(sql: string): Statement;
  /** Runs one or more statements without parameters. */
  exec(sql: string): void;
  /** True between BEGIN and COMMIT or ROLLBACK. */
  readonly isTransaction: boolean;
  readonly isOpen: boolean;
  close(): void;
}

/** SQL dialect behind a connection. */
export type Dialect = "sqlite" | "postgresql";

/** Returns the dialect of `db`: PostgreSQL for a `PostgresDatabase`, else SQLite. */
export function dialectOf(db: Database): Dialect {
  return (db as { dialect?: unknown }).dialect === "postgresql" ? "postgresql" : "sqlite";
}
