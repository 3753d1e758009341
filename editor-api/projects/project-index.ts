/**
 * The project index: one row per card file, so dashboards and access checks read SQLite
 * instead of scanning the content folder. `syncProjectIndex` refills it from the files at start
 * and after each import, and gives every new project its workflow record.
 */
import { basename, relative } from "node:path";
import {
  type Card,
  identifierFileStem,
  listCardFiles,
  type Result,
  readCardFile,
} from "../../pipeline/card/index.ts";
import { CONTACTS_SCHEMA } from "../../pipeline/contacts/schema.sql.ts";
import type { Database } from "../db/database.ts";
import { inTransaction } from "../db/transaction.ts";
import { ensurePublishSchema } from "../publish/schema.sql.ts";
import { seedDrafts } from "./drafts.ts";

export interface IndexedProject {
  id: string;
  programme: string;
  agency: string;
  title: string;
  endDate?: string;
  status?: "ongoing" | "completed";
  /** Card path relative to the content folder, with `/` separators. */
  path: string;
}

export interface SyncReport {
  indexed: number;
  removed: number;
  /** Card files that failed to parse, with the reason; they stay out of the index. */
  invalid: { path: string; message: string }[];
}

/** Creates the tables of other modules that the editorial queries join, when missing. */
export function ensureEditorialDependencies(db: Database): void {
  for (const statement of CONTACTS_SCHEMA) db.exec(statement);
  ensurePublishSchema(db);
}

/**
 * Replaces the index with the cards now in `contentDir`. A project seen for the first time gets
 * a workflow record in the review state its card file holds, and its card's results become its
 * first drafts; existing records and drafts are kept.
 */
export async function syncProjectIndex(
  contentDir: string,
  db: Database,
  now: () => Date = () => new Date(),
): Promise<SyncReport> {
  const rows: IndexRowInput[] = [];
  const invalid: SyncReport["invalid"] = [];
  for await (const file of listCardFiles(contentDir)) {
    try {
      rows.push(rowOf(contentDir, file, await readCardFile(file)));
    } catch (error) {
      invalid.push({ path: file, message: (error as Error).message });
    }
  }

  const at = now().toISOString();
  const removed = inTransaction(db, () => {
    db.exec("CREATE TEMP TABLE IF NOT EXISTS seen_projects (id TEXT PRIMARY KEY)");
    db.exec("DELETE FROM seen_projects");
    const store = indexWriter(db);
    const seen = db.prepare("INSERT INTO seen_projects (id) VALUES (?) ON CONFLICT DO NOTHING");
    for (const row of rows) {
      store(row, at);
      seen.run(row.id);
    }
    const result = db
      .prepare("DELETE FROM project_index WHERE id NOT IN (SELECT id FROM seen_projects)")
      .run();
    return Number(result.changes);
  });
  listings.delete(contentDir);
  return { indexed: rows.length, removed, invalid };
}

type IndexRowInput = IndexedProject & { state: string; results: Result[] };

function rowOf(contentDir: string, file: string, card: Card): IndexRowInput {
  return {
    id: card.id,
    programme: card.programme,
    agency: card.agency,
    title: card.title,
    endDate: card.endDate,
    status: card.status,
    path: relative(contentDir, file).split("\\").join("/"),
    state: card.editorial.review.state,
    results: card.editorial.results,
  };
}

/**
 * Returns a function that writes one index row, and for a project seen for the first time its
 * workflow record and first drafts. Callers run it inside a transaction.
 */
function indexWriter(db: Database): (row: IndexRowInput, at: string) => void {
  const upsert = db.prepare(
    `INSERT INTO project_index (id, programme, agency, title, end_date, status, path, synced_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET programme = excluded.programme, agency = excluded.agency,
         title = excluded.title, end_date = excluded.end_date, status = excluded.status,
         path = excluded.path, synced_at = excluded.synced_at`,
  );
  const seed = db.prepare(
    `INSERT INTO project_workflow (project_id, state, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (project_id) DO NOTHING`,
  );
  return (row, at) => {
    upsert.run(
      row.id,
      row.programme,
      row.agency,
      row.title,
      row.endDate ?? null,
      row.status ?? null,
      row.path,
      at,
    );
    if (Number(seed.run(row.id, row.state, at).changes) > 0) {
      seedDrafts(db, row.id, row.results, at);
    }
  };
}

/** Time for which one listing of the card files serves every index miss, in milliseconds. */
export const CARD_LISTING_TTL_MS = 10_000;

/** Card file listings by content folder: file stem to paths, with the time of the listing. */
const listings = new Map<string, { at: number; files: Promise<Map<string, string[]>> }>();

async function listByStem(contentDir: string): Promise<Map<string, string[]>> {
  const byStem = new Map<string, string[]>();
  for await (const file of listCardFiles(contentDir)) {
    const stem = basename(file, ".md");
    byStem.set(stem, [...(byStem.get(stem) ?? []), file]);
  }
  return byStem;
}

/**
 * Finds a project in the index, or else looks for its card file in the content folder and indexes
 * it, so a card imported while the server runs is found without a restart. Misses share one
 * listing of the card files for `ttlMs`, so unknown ids cannot make the server rescan the folder
 * on every request. A card that fails to parse stays out of the index.
 */
export async function findProject(
  contentDir: string,
  db: Database,
  id: string,
  now: () => Date = () => new Date(),
  ttlMs: number = CARD_LISTING_TTL_MS,
): Promise<IndexedProject | undefined> {
  const indexed = findIndexedProject(db, id);
  if (indexed) return indexed;

  const at = now().getTime();
  let listing = listings.get(contentDir);
  if (!listing || at - listing.at >= ttlMs || at < listing.at) {
    listing = { at, files: listByStem(contentDir) };
    listings.set(contentDir, listing);
  }
  const files = (await listing.files).get(identifierFileStem(id)) ?? [];
  for (const file of files) {
    let card: Card;
    try {
      card = await readCardFile(file);
    } catch {
      continue;
    }
    if (card.id !== id) continue;
    const row = rowOf(contentDir, file, card);
    const write = indexWriter(db);
    inTransaction(db, () => write(row, now().toISOString()));
    return findIndexedProject(db, id);
  }
  return undefined;
}

interface IndexRow {
  id: string;
  programme: string;
  agency: string;
  title: string;
  end_date: string | null;
  status: string | null;
  path: string;
}

export function fromIndexRow(row: IndexRow): IndexedProject {
  const project: IndexedProject = {
    id: row.id,
    programme: row.programme,
    agency: row.agency,
    title: row.title,
    path: row.path,
  };
  if (row.end_date !== null) project.endDate = row.end_date;
  if (row.status === "ongoing" || row.status === "completed") project.status = row.status;
  return project;
}

export function findIndexedProject(db: Database, id: string): IndexedProject | undefined {
  const row = db.prepare("SELECT * FROM project_index WHERE id = ?").get(id);
  return row ? fromIndexRow(row as unknown as IndexRow) : undefined;
}
