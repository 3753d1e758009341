import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { linkToken } from "../testing/smtp-inbox.ts";
import {
  startTestEditor,
  TEST_PASSWORD,
  type TestClient,
  type TestEditor,
} from "../testing/test-editor.ts";

let editor: TestEditor;
let browser: TestClient;
beforeEach(async () => {
  editor = await startTestEditor();
  await editor.createAccount({ username: "Anna", email: "anna@ngo.example" });
  browser = editor.client();
  await browser.signIn("Anna");
});
afterEach(async () => {
  await editor.close();
});

async function currentEmail(client: TestClient): Promise<string> {
  const body = (await (await client.get("/api/session")).json()) as { account: { email: string } };
  return body.account.email;
}

describe("e-mail change", () => {
  it("takes effect when the new address confirms", async () => {
    const requested = await browser.post("/api/account/email", {
      newEmail: "anna@new.example",
      password: TEST_PASSWORD,
    });
    expect(requested.status).toBe(202);
    expect(await currentEmail(browser)).toBe("anna@ngo.example");

    const token = linkToken(editor.inbox.latest("anna@new.example", "Confirm your new"));
    const confirmed = await editor.client().post("/api/auth/email-change/confirm", { token });
    expect(confirmed.status).toBe(204);
    expect(await currentEmail(browser)).toBe("anna@new.example");
    expect(editor.inbox.latest("anna@ngo.example", "was changed").text).toContain("helpdesk");
  });

  it("requires the current password", async () => {
    const response = await browser.post("/api/account/email", {
      newEmail: "anna@new.example",
      password: "not my password",
    });
    expect(response.status).toBe(401);
  });

  it("is refused for heightened-security accounts", async () => {
    editor.db.prepare("UPDATE accounts SET heightened_security = 1").run();
    const response = await browser.post("/api/account/email", {
      newEmail: "anna@new.example",
      password: TEST_PASSWORD,
    });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe("HEIGHTENED_SECURITY");
    expect(editor.inbox.messages).toHaveLength(0);
  });

  it("is refused at confirmation when heightened security came meanwhile", async () => {
    await browser.post("/api/account/email", {
      newEmail: "anna@new.example",
      password: TEST_PASSWORD,
    });
    const token = linkToken(editor.inbox.latest("anna@new.example"));
    editor.db.prepare("UPDATE accounts SET heightened_security = 1").run();
    const response = await editor.client().post("/api/auth/email-change/confirm", { token });
    expect(response.status).toBe(403);
    expect(await currentEmail(browser)).toBe("anna@ngo.example");
  });

  it("needs a session", async () => {
    const response = await editor.client().post("/api/account/email", {
      newEmail: "anna@new.example",
      password: TEST_PASSWORD,
    });
    expect(response.status).toBe(401);
  });
});
