/**
 * Stores the contacts feed in SQLite, replacing the previous feed in one transaction, so a
 * reader sees either the old contacts or the new ones. The feed never goes to `content/`.
 */
import { basename } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { FeedIssue } from "./format.ts";
import { parseContactsFeed } from "./parse.ts";
import { CONTACTS_SCHEMA } from "./schema.sql.ts";

export interface ContactsImportReport {
  file: string;
  /** Rows stored; 0 when the feed was rejected as a whole. */
  imported: number;
  /** Contacts of the previous feed that were replaced. */
  replaced: number;
  issues: FeedIssue[];
  /** True when nothing was imported and the previous feed was kept. */
  rejected: boolean;
}

/**
 * Connection the feed is stored through: `node:sqlite`'s `DatabaseSync` or the editor API's
 * `Database` (SQLite or PostgreSQL).
 */
export interface ContactsDatabase {
  prepare(sql: string): {
    run(...values: (string | number | null)[]): { changes: number | bigint };
    all(...values: (string | number | null)[]): unknown[];
  };
  exec(sql: string): void;
}

export interface ImportOptions {
  /** Clock for `imported_at`; the system clock by default. */
  now?: () => Date;
}

/**
 * Parses `file` and replaces the stored feed with its valid rows, creating the table when
 * missing. The issues name the rows left out. A feed that is unusable as a whole (bad header, broken quoting) or has no valid row keeps
 * the previous contacts.
 */
export async function importContacts(
  file: string,
  db: ContactsDatabase,
  options: ImportOptions = {},
): Promise<ContactsImportReport> {
  const name = basename(file);
  const parsed = await parseContactsFeed(file, name);
  if (parsed.fatal || parsed.rows.length === 0) {
    const issues = parsed.issues.length > 0 ? parsed.issues : [noRows(name)];
    return { file: name, imported: 0, replaced: 0, issues, rejected: true };
  }

  for (const statement of CONTACTS_SCHEMA) db.exec(statement);
  const importedAt = (options.now ?? (() => new Date()))().toISOString();
  const insert = db.prepare(
    `INSERT INTO project_contacts
       (project_id, name, email, phone, role, organisation, source_file, source_line, imported_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  let replaced = 0;
  db.exec("BEGIN IMMEDIATE");
  try {
    replaced = Number(db.prepare("DELETE FROM project_contacts").run().changes);
    for (const row of parsed.rows) {
      insert.run(
        row.projectId,
        row.name,
        row.email,
        row.phone ?? null,
        row.role ?? null,
        row.organisation ?? null,
        name,
        row.line,
        importedAt,
      );
    }
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
  return {
    file: name,
    imported: parsed.rows.length,
    replaced,
    issues: parsed.issues,
    rejected: false,
  };
}

/**
 * Opens the database at `databasePath` and imports the feed, creating the table when missing.
 * This is the entry point of `npm run import -- --contacts FILE`.
 */
export async function importContactsFile(
  file: string,
  options: { databasePath: string } & ImportOptions,
): Promise<ContactsImportReport> {
  const db = new DatabaseSync(options.databasePath, { timeout: 5000 });
  try {
    return await importContacts(file, db, options);
  } finally {
    db.close();
  }
}

/** Returns the contact e-mails of a project, lower case. */
export function contactEmails(db: ContactsDatabase, projectId: string): string[] {
  const rows = db
    .prepare("SELECT email FROM project_contacts WHERE project_id = ? ORDER BY email")
    .all(projectId) as { email: string }[];
  return rows.map((row) => row.email);
}

/** Returns the identifiers of the projects that list `email` as a contact. */
export function projectsForEmail(db: ContactsDatabase, email: string): string[] {
  const rows = db
    .prepare("SELECT project_id FROM project_contacts WHERE email = ? ORDER BY project_id")
    .all(email.trim().toLowerCase()) as { project_id: string }[];
  return rows.map((row) => row.project_id);
}

function noRows(file: string): FeedIssue {
  return { file, line: 1, reason: "the feed has no valid contact row; the previous feed is kept" };
}
