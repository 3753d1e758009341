/**
 * Schema migrations of the editor database, applied in order at start, on SQLite and on
 * PostgreSQL alike (`postgres-sql.ts` maps the column types of `CREATE TABLE`).
 *
 * To change the schema, add a file `NNN-topic.ts` beside this one that exports its SQL, and
 * append `{ version: NNN, name: "topic", sql }` at the END of the list. Versions are whole
 * numbers that only grow. Never edit or reorder a migration that has shipped: databases
 * already record it in `schema_migrations` and will not run it again.
 */
import { CONTACTS_SCHEMA } from "../../../pipeline/contacts/schema.sql.ts";
import { LOGIN_NAME_FAILURES_SCHEMA } from "../../auth/lockout.ts";
import { PROJECT_LOCKS_SCHEMA } from "../../projects/project-lock.ts";
import { PUBLISH_SCHEMA } from "../../publish/schema.sql.ts";
import { accountsMigration } from "./001-accounts.ts";
import { editorialMigration } from "./002-editorial.ts";

export type Migration = { version: number; name: string; sql: string };

export const migrations: readonly Migration[] = [
  { version: 1, name: "accounts", sql: accountsMigration },
  { version: 2, name: "editorial", sql: editorialMigration },
  // The publication and contacts tables are also created idempotently by their own modules, so
  // these two migrations only make sure that every database has them from the start.
  { version: 3, name: "publish", sql: PUBLISH_SCHEMA.join(";\n") },
  { version: 4, name: "contacts", sql: CONTACTS_SCHEMA.join(";\n") },
  // Their modules used to create these tables on first use. The migration gives every database
  // the tables from the start, so a request never changes the schema.
  {
    version: 5,
    name: "locks",
    sql: [PROJECT_LOCKS_SCHEMA, ...LOGIN_NAME_FAILURES_SCHEMA].join(";\n"),
  },
];
