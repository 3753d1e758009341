import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database.ts";
import { databaseLocation } from "./import-contacts.ts";

const SCRIPT = new URL("./import-contacts.ts", import.meta.url).pathname;
const HEADER =
  "Project Identifier;Contact name;Contact e-mail;Contact phone;Contact role;Organisation";

let folder: string;
let database: TestDatabase;
beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), "import-contacts-test-"));
  database = createTestDatabase(folder);
});
afterEach(() => {
  database.drop();
  rmSync(folder, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH, DATABASE_URL: database.url };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SCRIPT, ...args], {
      env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("import-contacts", () => {
  it("stores the feed in DATABASE_URL", async () => {
    const feed = path.join(folder, "contacts.csv");
    writeFileSync(feed, `${HEADER}\nP-1;Anna Peeters;anna@ngo.example;;;\n`);
    const result = await run([feed]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^contacts: 1 imported, 0 rows left out, database /);
    const db = database.open();
    const rows = db.prepare("SELECT project_id, email FROM project_contacts").all();
    db.close();
    expect(rows).toEqual([{ project_id: "P-1", email: "anna@ngo.example" }]);
  });

  it("rejects a feed without rows", async () => {
    const feed = path.join(folder, "empty.csv");
    writeFileSync(feed, `${HEADER}\n`);
    const result = await run([feed]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the previous feed is kept");
  });

  it("prints usage without a file", async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Usage:");
  });
});

describe("databaseLocation", () => {
  it("prefers DATABASE_URL", () => {
    const url = "postgres://editor@127.0.0.1:5432/editor";
    expect(databaseLocation({ DATABASE_URL: url, DATABASE_PATH: "x.db" })).toBe(url);
  });

  it("resolves a sqlite: URL to a file path", () => {
    expect(databaseLocation({ DATABASE_URL: "sqlite:var/a.db" })).toBe(path.resolve("var/a.db"));
  });

  it("falls back to var/editor.db", () => {
    expect(databaseLocation({})).toBe(path.resolve("var/editor.db"));
  });
});
