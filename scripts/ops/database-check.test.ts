import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDatabase, databaseProblem, databaseSetting } from "./database-check.ts";

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "database-check-test-"));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("databaseProblem", () => {
  it("removes the password from the reason", () => {
    const url = "postgres://editor:p%40ss@db.example.eu/results";
    const line = databaseProblem("DATABASE_URL", url, new Error("login p@ss and p%40ss failed"));
    expect(line).not.toContain("p@ss");
    expect(line).not.toContain("p%40ss");
    expect(line).toBe(
      "DATABASE_URL: the database postgres://editor:redacted@db.example.eu/results cannot be opened (login redacted and redacted failed); check that the PostgreSQL server runs and accepts this user and password, or correct DATABASE_URL",
    );
  });

  it("keeps only the first line of the reason", () => {
    const line = databaseProblem("DATABASE_PATH", "/x/editor.db", new Error("first\nsecond"));
    expect(line).toBe(
      "DATABASE_PATH: the database /x/editor.db cannot be opened (first); set DATABASE_PATH to a file in a writable folder, such as var/editor.db",
    );
  });
});

describe("databaseSetting", () => {
  it("names DATABASE_URL when set", () => {
    expect(databaseSetting({ DATABASE_URL: "sqlite:x.db", DATABASE_PATH: "y.db" })).toBe(
      "DATABASE_URL",
    );
  });

  it("names DATABASE_PATH otherwise", () => {
    expect(databaseSetting({ DATABASE_URL: "" })).toBe("DATABASE_PATH");
  });
});

describe("checkDatabase", () => {
  it("accepts a new SQLite file", () => {
    expect(checkDatabase("DATABASE_PATH", join(folder, "editor.db"))).toBeUndefined();
  });

  it("reports a folder given as the file", () => {
    expect(checkDatabase("DATABASE_PATH", folder)).toBe(
      `DATABASE_PATH: the database ${folder} cannot be opened (unable to open database file); set DATABASE_PATH to a file in a writable folder, such as var/editor.db`,
    );
  });
});
