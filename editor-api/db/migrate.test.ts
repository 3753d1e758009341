import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "./database.ts";
import { runMigrations } from "./migrate.ts";
import { migrations } from "./migrations/index.ts";
import { openDatabase } from "./open.ts";
import { hasTable } from "./tables.ts";
import { createTestDatabase, type TestDatabase, testDialect } from "./test-database.ts";

let folder: string;
let database: TestDatabase;
const connections: Database[] = [];

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), "editor-db-test-"));
  database = createTestDatabase(folder);
});
afterEach(() => {
  for (const db of connections.splice(0)) if (db.isOpen) db.close();
  database.drop();
  rmSync(folder, { recursive: true, force: true });
});

function bare(): Database {
  const db = database.openBare();
  connections.push(db);
  return db;
}

describe("openDatabase", () => {
  it.skipIf(testDialect !== "sqlite")("uses WAL, foreign keys and a busy timeout", () => {
    const db = openDatabase(path.join(folder, "nested", "editor.db"));
    connections.push(db);
    expect(db.prepare("PRAGMA journal_mode").get()?.journal_mode).toBe("wal");
    expect(db.prepare("PRAGMA foreign_keys").get()?.foreign_keys).toBe(1);
    expect(Number(db.prepare("PRAGMA busy_timeout").get()?.timeout)).toBeGreaterThan(0);
  });

  it("records each migration once", () => {
    database.open().close();
    const db = database.open();
    connections.push(db);
    const versions = db.prepare("SELECT version FROM schema_migrations ORDER BY version").all();
    expect(versions.map((row) => row.version)).toEqual(migrations.map((m) => m.version));
  });

  it("opens a sqlite: URL as a file", () => {
    const file = path.join(folder, "by-url.db");
    const db = openDatabase(`sqlite:${file}`);
    connections.push(db);
    expect(hasTable(db, "accounts")).toBe(true);
  });
});

describe("runMigrations", () => {
  it("applies only the new ones", () => {
    const db = bare();
    const first = [{ version: 1, name: "one", sql: "CREATE TABLE one (id INTEGER)" }];
    expect(runMigrations(db, first)).toEqual([1]);
    const second = [...first, { version: 2, name: "two", sql: "CREATE TABLE two (id INTEGER)" }];
    expect(runMigrations(db, second)).toEqual([2]);
    expect(runMigrations(db, second)).toEqual([]);
  });

  it("skips what another connection applied", () => {
    const list = [{ version: 1, name: "one", sql: "CREATE TABLE one (id INTEGER)" }];
    expect(runMigrations(bare(), list)).toEqual([1]);
    expect(runMigrations(bare(), list)).toEqual([]);
  });

  it("rolls back a failing migration whole", () => {
    const db = bare();
    const broken = [
      { version: 1, name: "broken", sql: "CREATE TABLE kept (id INTEGER); SELECT * FROM missing" },
    ];
    expect(() => runMigrations(db, broken)).toThrow(/missing/);
    expect(hasTable(db, "kept")).toBe(false);
    expect(db.prepare("SELECT count(*) AS n FROM schema_migrations").get()?.n).toBe(0);
  });

  it("rejects versions out of order", () => {
    const db = bare();
    const list = [
      { version: 2, name: "b", sql: "" },
      { version: 1, name: "a", sql: "" },
    ];
    expect(() => runMigrations(db, list)).toThrow(/versions must grow/);
  });
});
