/**
 * A snapshot of everything an editorial request may change: every file in the test's folder
 * (content folder, attachments, logos) and every row of every table of the database. Tests take
 * one before and after a rejected request to show that it had no effect.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Database } from "../db/database.ts";
import { listTables } from "../db/tables.ts";

export interface EditorialSnapshot {
  /** SHA-256 of each file, by path relative to the test folder. */
  files: Map<string, string>;
  /** Rows of each table as sorted JSON lines, by table name. */
  tables: Map<string, string[]>;
  /** Describes what differs in `later`, or returns "no change". */
  differenceFrom(later: EditorialSnapshot): string;
}

async function hashFiles(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const digest = createHash("sha256")
      .update(await readFile(file))
      .digest("hex");
    files.set(path.relative(root, file), digest);
  }
  return files;
}

function dumpTables(db: Database): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  const names = listTables(db);
  for (const name of names) {
    const rows = db.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`).all();
    tables.set(name, rows.map((row) => JSON.stringify(row)).sort());
  }
  return tables;
}

function changedKeys<T>(before: Map<string, T>, after: Map<string, T>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys]
    .filter((key) => JSON.stringify(before.get(key)) !== JSON.stringify(after.get(key)))
    .sort();
}

/**
 * Takes a snapshot of the folder that contains the content folder (`contentDir`'s parent, where the
 * editorial test keeps attachments too) and of the database.
 */
export async function snapshotEditorialState(test: {
  contentDir: string;
  db: Database;
}): Promise<EditorialSnapshot> {
  const files = await hashFiles(path.dirname(test.contentDir));
  const tables = dumpTables(test.db);
  return {
    files,
    tables,
    differenceFrom(later) {
      const changedFiles = changedKeys(files, later.files);
      const changedTables = changedKeys(tables, later.tables);
      if (changedFiles.length === 0 && changedTables.length === 0) return "no change";
      const parts = [];
      if (changedFiles.length > 0) parts.push(`files changed: ${changedFiles.join(", ")}`);
      if (changedTables.length > 0) parts.push(`tables changed: ${changedTables.join(", ")}`);
      return parts.join("; ");
    },
  };
}
