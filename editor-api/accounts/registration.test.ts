import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { linkToken } from "../testing/smtp-inbox.ts";
import { startTestEditor, TEST_PASSWORD, type TestEditor } from "../testing/test-editor.ts";
import { backgroundMailSettled } from "./background-mail.ts";

let editor: TestEditor;
beforeEach(async () => {
  editor = await startTestEditor();
});
afterEach(async () => {
  await editor.close();
});

const newAccount = {
  username: "MariaK",
  firstName: "Maria",
  lastName: "Kowalska",
  email: "maria@uni.example",
  password: TEST_PASSWORD,
};

describe("registration", () => {
  it("verifies through the mailed link, then signs in", async () => {
    const browser = editor.client();
    const registered = await browser.post("/api/accounts", newAccount);
    expect(registered.status).toBe(202);

    const mail = editor.inbox.latest("maria@uni.example", "Confirm your e-mail");
    expect(mail.text).toContain(`${editor.baseUrl}/account/verify-email?token=`);
    expect(mail.html).toContain("<a href=");
    const verified = await browser.post("/api/auth/verify-email", { token: linkToken(mail) });
    expect(verified.status).toBe(204);

    const signedIn = await browser.signIn("mariak");
    expect(signedIn.status).toBe(200);
    const session = await browser.get("/api/session");
    expect(session.status).toBe(200);
    const body = (await session.json()) as { account: Record<string, unknown> };
    expect(body.account).toMatchObject({
      username: "MariaK",
      firstName: "Maria",
      lastName: "Kowalska",
      email: "maria@uni.example",
      role: "beneficiary",
      agency: null,
    });
  });

  it("rejects sign-in before verification", async () => {
    const browser = editor.client();
    await browser.post("/api/accounts", newAccount);
    const response = await browser.signIn("MariaK");
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      "EMAIL_NOT_VERIFIED",
    );
  });

  it("accepts a verification link only once", async () => {
    const browser = editor.client();
    await browser.post("/api/accounts", newAccount);
    const token = linkToken(editor.inbox.latest("maria@uni.example"));
    expect((await browser.post("/api/auth/verify-email", { token })).status).toBe(204);
    const again = await browser.post("/api/auth/verify-email", { token });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("INVALID_TOKEN");
  });

  it("rejects a verification link after 24 hours", async () => {
    const browser = editor.client();
    await browser.post("/api/accounts", newAccount);
    const token = linkToken(editor.inbox.latest("maria@uni.example"));
    editor.clock.advance(24 * 60 * 60_000 + 1);
    expect((await browser.post("/api/auth/verify-email", { token })).status).toBe(400);
  });

  it("answers alike for a taken e-mail and mails its owner", async () => {
    const browser = editor.client();
    await browser.post("/api/accounts", newAccount);
    const second = await browser.post("/api/accounts", { ...newAccount, username: "Other1" });
    expect(second.status).toBe(202);
    const notice = editor.inbox.latest("maria@uni.example", "Registration attempt");
    expect(notice.text).toContain("already has an account");
  });

  it("resends a confirmation link that works", async () => {
    const browser = editor.client();
    await browser.post("/api/accounts", newAccount);
    const resent = await browser.post("/api/auth/verify-email/resend", { email: newAccount.email });
    expect(resent.status).toBe(202);
    await backgroundMailSettled();
    expect(editor.inbox.messages).toHaveLength(2);
    const token = linkToken(editor.inbox.latest("maria@uni.example"));
    expect((await browser.post("/api/auth/verify-email", { token })).status).toBe(204);
  });
});

describe("registration username rules", () => {
  const cases: [string, string, number, string][] = [
    ["33 characters", "a".repeat(33), 400, "INVALID_INPUT"],
    ["underscore", "a_b", 400, "INVALID_INPUT"],
    ["non-ASCII letters", "ünï", 400, "INVALID_INPUT"],
    ["empty", "", 400, "INVALID_INPUT"],
    ["32 characters", "b".repeat(32), 202, ""],
    ["case-insensitive duplicate", "mariak", 409, "CONFLICT"],
  ];
  for (const [name, username, status, code] of cases) {
    it(`${name}: ${status}`, async () => {
      const browser = editor.client();
      await browser.post("/api/accounts", newAccount);
      const response = await browser.post("/api/accounts", {
        ...newAccount,
        username,
        email: "someone.else@uni.example",
      });
      expect(response.status).toBe(status);
      if (code) {
        const body = (await response.json()) as {
          error: { code: string; issues: { path: string[] }[] };
        };
        expect(body.error.code).toBe(code);
        expect(body.error.issues[0]?.path).toEqual(["username"]);
      }
    });
  }
});

describe("registration password rules", () => {
  const cases: [string, string, string][] = [
    ["shorter than 12", "short pass", "too_small"],
    ["longer than 256", "x".repeat(257), "too_big"],
    ["common password", "qwerty123456", "common_password"],
    ["decorated common word", "Sunshine2024!!", "common_password"],
    ["contains the username", "my MariaK passphrase", "contains_username"],
    ["contains the e-mail", "maria@uni.example!", "contains_email"],
  ];
  for (const [name, password, issueCode] of cases) {
    it(`rejects ${name}`, async () => {
      const response = await editor.client().post("/api/accounts", { ...newAccount, password });
      expect(response.status).toBe(400);
      const body = (await response.json()) as {
        error: { code: string; issues: { path: string[]; code: string }[] };
      };
      expect(body.error.code).toBe("INVALID_INPUT");
      expect(body.error.issues.map((issue) => issue.code)).toContain(issueCode);
      expect(body.error.issues[0]?.path).toEqual(["password"]);
    });
  }

  it("reports one issue per invalid field", async () => {
    const response = await editor.client().post("/api/accounts", {
      username: "ok1",
      firstName: "",
      email: "not-an-address",
      password: TEST_PASSWORD,
    });
    const body = (await response.json()) as { error: { issues: { path: string[] }[] } };
    const paths = body.error.issues.map((issue) => issue.path.join("."));
    expect(paths.sort()).toEqual(["email", "firstName", "lastName"]);
  });
});
