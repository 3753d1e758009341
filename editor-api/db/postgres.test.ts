/** Behaviour of the PostgreSQL connection; runs only when TEST_DATABASE_URL is set. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Database, dialectOf } from "./database.ts";
import { isUniqueViolation } from "./errors.ts";
import { redactLocation } from "./open.ts";
import { PostgresDatabase, PostgresError } from "./postgres.ts";
import { createTestDatabase, type TestDatabase, testDialect } from "./test-database.ts";
import { inTransaction } from "./transaction.ts";

let folder: string;
let database: TestDatabase;
const connections: Database[] = [];

function open(): Database {
  const db = database.open();
  connections.push(db);
  return db;
}

function insertAccount(db: Database, username: string, email: string) {
  return db
    .prepare(
      `INSERT INTO accounts (username, first_name, last_name, email, role, created_at)
         VALUES (?, 'Test', 'Person', ?, 'beneficiary', ?)`,
    )
    .run(username, email, Date.parse("2026-12-04T10:00:00Z"));
}

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe.skipIf(testDialect !== "postgresql")("PostgresDatabase", () => {
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), "editor-pg-test-"));
    database = createTestDatabase(folder);
  });
  afterEach(() => {
    for (const db of connections.splice(0)) db.close();
    database.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it("reports its dialect", () => {
    expect(dialectOf(open())).toBe("postgresql");
  });

  it("returns numbers and booleans as SQLite does", () => {
    const row = open()
      .prepare("SELECT count(*) AS n, 1 = 1 AS yes, CAST(? AS BIGINT) AS big, 2.5 AS half")
      .get(1_796_400_000_000);
    expect(row).toEqual({ n: 1, yes: 1, big: 1_796_400_000_000, half: 2.5 });
  });

  it("tracks the transaction state", () => {
    const db = open();
    expect(db.isTransaction).toBe(false);
    db.exec("BEGIN IMMEDIATE");
    expect(db.isTransaction).toBe(true);
    db.exec("ROLLBACK");
    expect(db.isTransaction).toBe(false);
  });

  it("reads lastInsertRowid right after the insert", () => {
    const db = open();
    expect(Number(insertAccount(db, "Anna", "anna@example.test").lastInsertRowid)).toBe(1);
    expect(Number(insertAccount(db, "Otto", "otto@example.test").lastInsertRowid)).toBe(2);
  });

  it("rejects a stale lastInsertRowid", () => {
    const db = open();
    const result = insertAccount(db, "Anna", "anna@example.test");
    db.prepare("SELECT 1").get();
    expect(() => result.lastInsertRowid).toThrow(/after another statement/);
  });

  it("compares e-mail addresses without case", () => {
    const db = open();
    insertAccount(db, "Anna", "Anna@Example.test");
    const row = db
      .prepare("SELECT username FROM accounts WHERE email = ?")
      .get("anna@example.TEST");
    expect(row?.username).toBe("Anna");
    const error = thrown(() => insertAccount(db, "ANNA", "other@example.test"));
    expect(error).toBeInstanceOf(PostgresError);
    expect((error as PostgresError).code).toBe("23505");
    expect(isUniqueViolation(error)).toBe(true);
  });

  it("lets one writer in at a time", () => {
    const first = open();
    const second = open();
    second.exec("SET lock_timeout = 100");
    first.exec("BEGIN IMMEDIATE");
    const error = thrown(() => second.exec("BEGIN IMMEDIATE"));
    expect((error as PostgresError).code).toBe("55P03");
    expect(second.isTransaction).toBe(false);
    first.exec("COMMIT");
    expect(inTransaction(second, () => second.prepare("SELECT 1 AS one").get()?.one)).toBe(1);
  });

  it("rolls back a failed transaction", () => {
    const db = open();
    expect(() =>
      inTransaction(db, () => {
        insertAccount(db, "Anna", "anna@example.test");
        db.prepare("SELECT * FROM missing_table").all();
      }),
    ).toThrow(/missing_table/);
    expect(db.prepare("SELECT count(*) AS n FROM accounts").get()?.n).toBe(0);
  });

  it("rejects calls after close", () => {
    const db = database.open();
    db.close();
    expect(db.isOpen).toBe(false);
    expect(() => db.prepare("SELECT 1").get()).toThrow(/connection is closed/);
  });

  it("fails to open an unreachable server", () => {
    const error = thrown(() => new PostgresDatabase("postgres://nobody@127.0.0.1:1/none"));
    expect(error).toBeInstanceOf(PostgresError);
    expect((error as PostgresError).code).toBe("ECONNREFUSED");
  });
});

describe("redactLocation", () => {
  it("hides the password and parameters of a URL", () => {
    expect(redactLocation("postgres://editor:secret@127.0.0.1:5432/editor?sslmode=require")).toBe(
      "postgres://editor:redacted@127.0.0.1:5432/editor",
    );
  });

  it("keeps a file path", () => {
    expect(redactLocation("var/editor.db")).toBe("var/editor.db");
  });
});
