/** E-mail link tokens reach the database only as their SHA-256. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backgroundMailSettled } from "../accounts/background-mail.ts";
import { listTables } from "../db/tables.ts";
import { linkToken } from "../testing/smtp-inbox.ts";
import { startTestEditor, TEST_PASSWORD, type TestEditor } from "../testing/test-editor.ts";
import { hashToken } from "./tokens.ts";

let editor: TestEditor;
beforeEach(async () => {
  editor = await startTestEditor();
  await editor.createAccount({ username: "Anna", email: "anna@ngo.example" });
});
afterEach(async () => {
  await editor.close();
});

/** Returns every text value of every table, to search for a secret in clear. */
function allStoredText(): string[] {
  const values: string[] = [];
  for (const name of listTables(editor.db)) {
    for (const row of editor.db.prepare(`SELECT * FROM "${name}"`).all()) {
      for (const value of Object.values(row)) {
        if (typeof value === "string") values.push(value);
      }
    }
  }
  return values;
}

function storedTokenIds(purpose: string): string[] {
  const rows = editor.db
    .prepare("SELECT id FROM account_tokens WHERE purpose = ?")
    .all(purpose) as { id: string }[];
  return rows.map((row) => row.id);
}

function expectStoredAsHash(token: string, purpose: string): void {
  expect(storedTokenIds(purpose)).toEqual([hashToken(token)]);
  expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
  for (const value of allStoredText()) expect(value).not.toContain(token);
}

describe("link token storage", () => {
  it("keeps the verification token hashed", async () => {
    const registered = await editor.client().post("/api/accounts", {
      username: "MariaK",
      firstName: "Maria",
      lastName: "Kowalska",
      email: "maria@uni.example",
      password: TEST_PASSWORD,
    });
    expect(registered.status).toBe(202);
    const token = linkToken(editor.inbox.latest("maria@uni.example", "Confirm your e-mail"));
    expectStoredAsHash(token, "verify-email");
  });

  it("keeps the reset token hashed", async () => {
    const requested = await editor
      .client()
      .post("/api/auth/password-reset", { email: "anna@ngo.example" });
    expect(requested.status).toBe(202);
    await backgroundMailSettled();
    const token = linkToken(editor.inbox.latest("anna@ngo.example"));
    expectStoredAsHash(token, "reset-password");
  });

  it("keeps the e-mail change token hashed", async () => {
    const browser = editor.client();
    await browser.signIn("Anna");
    const requested = await browser.post("/api/account/email", {
      newEmail: "anna@new.example",
      password: TEST_PASSWORD,
    });
    expect(requested.status).toBe(202);
    const token = linkToken(editor.inbox.latest("anna@new.example", "Confirm your new"));
    expectStoredAsHash(token, "change-email");
  });
});
