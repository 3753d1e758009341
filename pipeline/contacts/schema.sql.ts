/**
 * Table of the private contacts feed. The editor API's migration list should run these
 * statements once. `importContactsFile` also runs them (they are idempotent) so the importer's
 * command line works on a fresh database.
 */
export const CONTACTS_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS project_contacts (
    id INTEGER PRIMARY KEY,
    project_id TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    role TEXT,
    organisation TEXT,
    source_file TEXT NOT NULL,
    source_line INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (project_id, email)
  ) STRICT`,
  "CREATE INDEX IF NOT EXISTS project_contacts_email ON project_contacts (email)",
];
