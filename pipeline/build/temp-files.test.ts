import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { removeStaleCardTempFiles, STALE_TEMP_FILE_MS } from "./temp-files.ts";

let contentDir: string;

beforeEach(async () => {
  contentDir = await mkdtemp(join(tmpdir(), "card-temp-files-test-"));
});

afterEach(async () => {
  await rm(contentDir, { recursive: true, force: true });
});

async function file(name: string, ageMs: number): Promise<string> {
  const path = join(contentDir, "projects", "erasmus-plus", name);
  await mkdir(join(contentDir, "projects", "erasmus-plus"), { recursive: true });
  await writeFile(path, "---\n");
  const time = new Date(Date.now() - ageMs);
  await utimes(path, time, time);
  return path;
}

describe("removeStaleCardTempFiles", () => {
  it("deletes old temporary card files only", async () => {
    const stale = await file("2020-1-de01.md.0a1b2c3d4e5f.tmp", STALE_TEMP_FILE_MS + 60_000);
    await file("2020-1-de02.md.0a1b2c3d4e5f.tmp", 60_000);
    await file("2020-1-de03.md", STALE_TEMP_FILE_MS * 2);
    await file("notes.tmp", STALE_TEMP_FILE_MS * 2);

    expect(await removeStaleCardTempFiles(contentDir)).toEqual([stale]);
    expect((await readdir(join(contentDir, "projects", "erasmus-plus"))).sort()).toEqual([
      "2020-1-de02.md.0a1b2c3d4e5f.tmp",
      "2020-1-de03.md",
      "notes.tmp",
    ]);
  });

  it("accepts a folder without cards", async () => {
    expect(await removeStaleCardTempFiles(join(contentDir, "none"))).toEqual([]);
  });
});
