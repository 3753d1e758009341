import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backgroundMailSettled } from "../accounts/background-mail.ts";
import { startTestEditor, type TestEditor } from "../testing/test-editor.ts";
import { SESSION_COOKIE } from "./cookie.ts";

const MINUTE = 60_000;

let editor: TestEditor;
beforeEach(async () => {
  editor = await startTestEditor();
  await editor.createAccount({ username: "Anna", email: "anna@ngo.example" });
});
afterEach(async () => {
  await editor.close();
});

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe("login", () => {
  it("accepts the username or the e-mail address", async () => {
    expect((await editor.client().signIn("anna")).status).toBe(200);
    expect((await editor.client().signIn("ANNA@ngo.example")).status).toBe(200);
  });

  it("rejects a wrong password and an unknown user alike", async () => {
    const wrong = await editor.client().signIn("Anna", "not the right one");
    const unknown = await editor.client().signIn("Nobody", "not the right one");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await errorCode(wrong)).toBe("INVALID_CREDENTIALS");
    expect(await errorCode(unknown)).toBe("INVALID_CREDENTIALS");
  });

  it("sets an HttpOnly, SameSite=Lax, Path=/ cookie", async () => {
    const response = await editor.client().signIn("Anna");
    const cookie = response.headers
      .getSetCookie()
      .find((header) => header.startsWith(SESSION_COOKIE));
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/; Secure/);
  });

  it("marks the cookie Secure when configured", async () => {
    const secure = await startTestEditor({ config: { cookieSecure: true } });
    try {
      await secure.createAccount({ username: "Bert" });
      const response = await secure.client().signIn("Bert");
      const cookie = response.headers
        .getSetCookie()
        .find((header) => header.startsWith(SESSION_COOKIE));
      expect(cookie).toMatch(/; Secure/);
      expect(response.headers.get("strict-transport-security")).toMatch(/max-age=/);
    } finally {
      await secure.close();
    }
  });

  it("issues a new token at every sign-in", async () => {
    const browser = editor.client();
    await browser.signIn("Anna");
    const first = browser.sessionToken();
    await browser.signIn("Anna");
    const second = browser.sessionToken();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    const sessions = editor.db.prepare("SELECT count(*) AS n FROM sessions").get();
    expect(sessions?.n).toBe(1);
  });

  it("ignores a session token planted before sign-in", async () => {
    const browser = editor.client();
    browser.jar.set(editor.baseUrl, SESSION_COOKIE, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    await browser.signIn("Anna");
    expect(browser.sessionToken()).not.toBe("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  });

  it("stores no session token in clear", async () => {
    const browser = editor.client();
    await browser.signIn("Anna");
    const token = browser.sessionToken() ?? "";
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    const rows = editor.db.prepare("SELECT * FROM sessions").all();
    expect(rows).toHaveLength(1);
    for (const row of rows) {
      for (const value of Object.values(row)) expect(String(value)).not.toContain(token);
    }
  });

  it("returns 401 NOT_SIGNED_IN without a session", async () => {
    const response = await editor.client().get("/api/session");
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe("NOT_SIGNED_IN");
  });
});

describe("session lifetime", () => {
  it("ends after 31 idle minutes", async () => {
    const browser = editor.client();
    await browser.signIn("Anna");
    editor.clock.advance(31 * MINUTE);
    expect((await browser.get("/api/session")).status).toBe(401);
  });

  it("extends the idle timeout on use", async () => {
    const browser = editor.client();
    await browser.signIn("Anna");
    for (let step = 0; step < 4; step++) {
      editor.clock.advance(20 * MINUTE);
      expect((await browser.get("/api/session")).status).toBe(200);
    }
  });

  it("writes the extension at most once a minute", async () => {
    const browser = editor.client();
    await browser.signIn("Anna");
    const lastUsed = () =>
      editor.db.prepare("SELECT last_used_at FROM sessions").get()?.last_used_at;
    const signedInAt = lastUsed();
    editor.clock.advance(30_000);
    await browser.get("/api/session");
    expect(lastUsed()).toBe(signedInAt);
    editor.clock.advance(31_000);
    await browser.get("/api/session");
    expect(lastUsed()).toBe(editor.clock.now().getTime());
  });

  it("ends after 12 hours despite use", async () => {
    const browser = editor.client();
    await browser.signIn("Anna");
    for (let elapsed = 0; elapsed < 12 * 60; elapsed += 20) {
      editor.clock.advance(20 * MINUTE);
      const response = await browser.get("/api/session");
      expect(response.status).toBe(elapsed + 20 < 12 * 60 ? 200 : 401);
    }
  });

  it("ends at once on logout and refuses the old token", async () => {
    const browser = editor.client();
    await browser.signIn("Anna");
    const token = browser.sessionToken() ?? "";
    expect((await browser.post("/api/auth/logout")).status).toBe(204);
    expect(browser.sessionToken()).toBeUndefined();
    const replay = editor.client();
    replay.jar.set(editor.baseUrl, SESSION_COOKIE, token);
    expect((await replay.get("/api/session")).status).toBe(401);
    expect(editor.db.prepare("SELECT count(*) AS n FROM sessions").get()?.n).toBe(0);
  });
});

describe("lockout", () => {
  it("locks after 5 wrong passwords and unlocks after 15 minutes", async () => {
    const browser = editor.client();
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect((await browser.signIn("Anna", "wrong password!")).status).toBe(401);
    }
    const fifth = await browser.signIn("Anna", "wrong password!");
    expect(fifth.status).toBe(423);
    const body = (await fifth.json()) as { error: { code: string; unlockAt: string } };
    expect(body.error.code).toBe("ACCOUNT_LOCKED");
    expect(body.error.unlockAt).toBe(
      new Date(editor.clock.now().getTime() + 15 * MINUTE).toISOString(),
    );
    await backgroundMailSettled();
    expect(editor.inbox.latest("anna@ngo.example", "locked").text).toContain(body.error.unlockAt);

    expect((await browser.signIn("Anna")).status).toBe(423);
    editor.clock.advance(14 * MINUTE);
    expect((await browser.signIn("Anna")).status).toBe(423);
    editor.clock.advance(MINUTE);
    expect((await browser.signIn("Anna")).status).toBe(200);
  });

  it("counts only wrong passwords in a row", async () => {
    const browser = editor.client();
    for (let attempt = 1; attempt <= 4; attempt++) await browser.signIn("Anna", "wrong password!");
    expect((await browser.signIn("Anna")).status).toBe(200);
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect((await browser.signIn("Anna", "wrong password!")).status).toBe(401);
    }
  });
});

describe("password login disabled", () => {
  it("rejects the right password with 403", async () => {
    editor.db.prepare("UPDATE accounts SET password_login_disabled = 1").run();
    const response = await editor.client().signIn("Anna");
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("PASSWORD_LOGIN_DISABLED");
  });
});
