import { mkdtempSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listCardFiles, readCardFile } from "../../pipeline/card/index.ts";
import { importFiles } from "../../pipeline/import/index.ts";
import type { Database } from "../db/database.ts";
import { openDatabase } from "../db/open.ts";
import { listDrafts } from "./drafts.ts";
import { ensureEditorialDependencies, syncProjectIndex } from "./project-index.ts";
import { readWorkflow } from "./workflow-store.ts";

const CULTURE_EXPORT = path.resolve(
  import.meta.dirname,
  "../../../shared/data/real/techforuk-my_eu/Culture_2007_2013_Projects_Overview_2018-08-01.converted.csv",
);

let folder: string;
let contentDir: string;
let db: Database;
beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), "project-index-test-"));
  contentDir = path.join(folder, "content");
  db = openDatabase(path.join(folder, "editor.db"));
  ensureEditorialDependencies(db);
});
afterEach(() => {
  db.close();
  rmSync(folder, { recursive: true, force: true });
});

describe("syncProjectIndex", () => {
  it("indexes the imported Culture export", { timeout: 120_000 }, async () => {
    const summary = await importFiles([CULTURE_EXPORT], { contentDir });
    const files: string[] = [];
    for await (const file of listCardFiles(contentDir)) files.push(file);
    expect(files.length).toBeGreaterThan(700);

    const report = await syncProjectIndex(contentDir, db);
    expect(report.invalid).toEqual([]);
    expect(report.indexed).toBe(files.length);
    expect(summary.files[0]?.error).toBeUndefined();

    const sample = await readCardFile(files[0] ?? "");
    const row = db.prepare("SELECT * FROM project_index WHERE id = ?").get(sample.id);
    expect(row).toMatchObject({
      programme: sample.programme,
      agency: sample.agency,
      title: sample.title,
      end_date: sample.endDate ?? null,
    });
    expect(readWorkflow(db, sample.id)).toMatchObject({ version: 1, workflow: { state: "open" } });
  });

  it("drops removed cards and keeps workflow records", { timeout: 120_000 }, async () => {
    await importFiles([CULTURE_EXPORT], { contentDir });
    await syncProjectIndex(contentDir, db);
    const files: string[] = [];
    for await (const file of listCardFiles(contentDir)) files.push(file);
    const gone = await readCardFile(files[0] ?? "");
    await rm(files[0] ?? "");

    const report = await syncProjectIndex(contentDir, db);
    expect(report.removed).toBe(1);
    expect(db.prepare("SELECT id FROM project_index WHERE id = ?").get(gone.id)).toBeUndefined();
    expect(listDrafts(db, gone.id)).toEqual([]);
    expect(readWorkflow(db, gone.id).version).toBe(1);
  });
});
