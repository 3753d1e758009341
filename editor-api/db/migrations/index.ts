/**
 * Schema migrations of the editor database, applied in order at start.
 *
 * To change the schema, add a file `NNN-topic.ts` beside this one that exports its SQL, and
 * append `{ version: NNN, name: "topic", sql }` at the END of the list. Versions are whole
 * numbers that only grow. Never edit or reorder a migration that has shipped: databases
 * already record it in `schema_migrations` and will not run it again.
 */
import { accountsMigration } from "./001-accounts.ts";
import { editorialMigration } from "./002-editorial.ts";

export type Migration = { version: number; name: string; sql: string };

export const migrations: readonly Migration[] = [
  { version: 1, name: "accounts", sql: accountsMigration },
  { version: 2, name: "editorial", sql: editorialMigration },
];
