import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyPassword } from "../auth/password-hash.ts";
import { createTestDatabase, type TestDatabase } from "../db/test-database.ts";

const SCRIPT = new URL("./create-helpdesk.ts", import.meta.url).pathname;

let folder: string;
let database: TestDatabase;
beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), "create-helpdesk-test-"));
  database = createTestDatabase(folder);
});
afterEach(() => {
  database.drop();
  rmSync(folder, { recursive: true, force: true });
});

function run(
  args: string[],
  stdin = "",
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [SCRIPT, ...args], {
    env: {
      PATH: process.env.PATH,
      PUBLIC_URL: "https://results.example.eu",
      DATABASE_URL: database.url,
      OUTBOX_DIR: path.join(folder, "outbox"),
      PASSWORD_HASH_COST: "test",
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  child.stdin.end(stdin);
  return new Promise((resolve) => {
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function helpdeskRow() {
  const db = database.open();
  const row = db.prepare("SELECT * FROM accounts").get();
  db.close();
  return row;
}

describe("create-helpdesk", () => {
  it("prints a set-password link", async () => {
    const result = await run(["--username", "Helpdesk1", "--email", "help@eacea.example"]);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /https:\/\/results\.example\.eu\/account\/set-password\?token=[a-z2-7]{32}/,
    );
    expect(helpdeskRow()).toMatchObject({
      username: "Helpdesk1",
      role: "helpdesk",
      password_hash: null,
    });
  });

  it("reads the password from stdin", async () => {
    const password = "saffron bridge 62 orchard";
    const result = await run(
      ["--username", "Helpdesk1", "--email", "help@eacea.example", "--password-stdin"],
      `${password}\n`,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("token=");
    const hash = String(helpdeskRow()?.password_hash);
    expect(await verifyPassword(hash, password)).toBe(true);
  });

  it("rejects a weak password from stdin", async () => {
    const result = await run(
      ["--username", "Helpdesk1", "--email", "help@eacea.example", "--password-stdin"],
      "password123456\n",
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("common passwords");
  });

  it("rejects an invalid username with usage", async () => {
    const result = await run(["--username", "help_desk", "--email", "help@eacea.example"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--username: Username may contain only letters");
    expect(result.stderr).toContain("Usage:");
  });
});
