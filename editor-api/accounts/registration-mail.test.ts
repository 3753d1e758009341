/**
 * Registration when the verification mail cannot be written: the account is stored, the request
 * succeeds, and a resent link reaches the beneficiary once the outbox works again.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestEditor, TEST_PASSWORD, type TestEditor } from "../testing/test-editor.ts";
import { findAccountByUsername } from "./account.ts";
import { backgroundMailSettled } from "./background-mail.ts";

let folder: string;
let blocker: string;
let outbox: string;
let editor: TestEditor;
beforeEach(async () => {
  folder = mkdtempSync(path.join(tmpdir(), "registration-mail-test-"));
  // A regular file where the outbox's parent folder should be: every mail fails with ENOTDIR.
  blocker = path.join(folder, "afile");
  writeFileSync(blocker, "");
  outbox = path.join(blocker, "outbox");
  editor = await startTestEditor({ config: { smtpUrl: undefined, outboxDir: outbox } });
});
afterEach(async () => {
  await editor.close();
  rmSync(folder, { recursive: true, force: true });
});

const newAccount = {
  username: "JonasB",
  firstName: "Jonas",
  lastName: "Berg",
  email: "jonas@school.example",
  password: TEST_PASSWORD,
};

/** Returns the link token of the only .eml file in the outbox, decoding quoted-printable text. */
function outboxToken(): string {
  const files = readdirSync(outbox);
  expect(files).toHaveLength(1);
  const eml = readFileSync(path.join(outbox, files[0] ?? ""), "utf8")
    .replace(/=\r?\n/g, "")
    .replace(/=3D/g, "=");
  const token = eml.match(/verify-email\?token=([A-Za-z0-9_-]+)/)?.[1];
  if (!token) throw new Error("no verification link in the outbox mail");
  return token;
}

describe("registration with a failing mailer", () => {
  it("stores the account and succeeds", async () => {
    const browser = editor.client();
    const registered = await browser.post("/api/accounts", newAccount);
    expect(registered.status).toBe(202);
    expect(findAccountByUsername(editor.db, "JonasB")?.emailVerified).toBe(false);

    const signIn = await browser.signIn("JonasB");
    expect(signIn.status).toBe(403);
    expect(((await signIn.json()) as { error: { code: string } }).error.code).toBe(
      "EMAIL_NOT_VERIFIED",
    );
  });

  it("answers alike for a taken e-mail address", async () => {
    const browser = editor.client();
    await browser.post("/api/accounts", newAccount);
    const second = await browser.post("/api/accounts", { ...newAccount, username: "Other1" });
    expect(second.status).toBe(202);
  });

  it("verifies through a resent link", async () => {
    const browser = editor.client();
    expect((await browser.post("/api/accounts", newAccount)).status).toBe(202);

    rmSync(blocker);
    const resent = await browser.post("/api/auth/verify-email/resend", {
      email: newAccount.email,
    });
    expect(resent.status).toBe(202);
    await backgroundMailSettled();
    const verified = await browser.post("/api/auth/verify-email", { token: outboxToken() });
    expect(verified.status).toBe(204);
    expect((await browser.signIn("JonasB")).status).toBe(200);
  });
});
