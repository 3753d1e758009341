/** Lists the tables of the editor database on SQLite and PostgreSQL alike. */
import { type Database, dialectOf } from "./database.ts";

/** Returns the names of the permanent tables of `db`, sorted, without SQLite's own tables. */
export function listTables(db: Database): string[] {
  const sql =
    dialectOf(db) === "postgresql"
      ? `SELECT table_name AS name FROM information_schema.tables
           WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
      : "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
  return db
    .prepare(sql)
    .all()
    .map((row) => String(row.name))
    .sort();
}

/** Tells whether `db` has a table named `name`. */
export function hasTable(db: Database, name: string): boolean {
  return listTables(db).includes(name);
}
