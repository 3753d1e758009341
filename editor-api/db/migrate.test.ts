import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runMigrations } from "./migrate.ts";
import { migrations } from "./migrations/index.ts";
import { openDatabase } from "./open.ts";

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), "editor-db-test-"));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe("openDatabase", () => {
  it("uses WAL, foreign keys and a busy timeout", () => {
    const db = openDatabase(path.join(folder, "nested", "editor.db"));
    expect(db.prepare("PRAGMA journal_mode").get()?.journal_mode).toBe("wal");
    expect(db.prepare("PRAGMA foreign_keys").get()?.foreign_keys).toBe(1);
    expect(Number(db.prepare("PRAGMA busy_timeout").get()?.timeout)).toBeGreaterThan(0);
    db.close();
  });

  it("records each migration once", () => {
    const file = path.join(folder, "editor.db");
    openDatabase(file).close();
    const db = openDatabase(file);
    const versions = db.prepare("SELECT version FROM schema_migrations").all();
    expect(versions.map((row) => row.version)).toEqual(migrations.map((m) => m.version));
    db.close();
  });
});

describe("runMigrations", () => {
  it("applies only the new ones", () => {
    const db = new DatabaseSync(":memory:");
    const first = [{ version: 1, name: "one", sql: "CREATE TABLE one (id INTEGER)" }];
    expect(runMigrations(db, first)).toEqual([1]);
    const second = [...first, { version: 2, name: "two", sql: "CREATE TABLE two (id INTEGER)" }];
    expect(runMigrations(db, second)).toEqual([2]);
    expect(runMigrations(db, second)).toEqual([]);
  });

  it("rolls back a failing migration whole", () => {
    const db = new DatabaseSync(":memory:");
    const broken = [
      { version: 1, name: "broken", sql: "CREATE TABLE kept (id INTEGER); SELECT * FROM missing" },
    ];
    expect(() => runMigrations(db, broken)).toThrow(/missing/);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE name = 'kept'").all();
    expect(tables).toHaveLength(0);
    expect(db.prepare("SELECT count(*) AS n FROM schema_migrations").get()?.n).toBe(0);
  });

  it("rejects versions out of order", () => {
    const db = new DatabaseSync(":memory:");
    const list = [
      { version: 2, name: "b", sql: "" },
      { version: 1, name: "a", sql: "" },
    ];
    expect(() => runMigrations(db, list)).toThrow(/versions must grow/);
  });
});
