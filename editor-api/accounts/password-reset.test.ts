import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { linkToken } from "../testing/smtp-inbox.ts";
import { startTestEditor, type TestEditor } from "../testing/test-editor.ts";
import { backgroundMailSettled } from "./background-mail.ts";

const NEW_PASSWORD = "copper kettle 93 harbour";

let editor: TestEditor;
beforeEach(async () => {
  editor = await startTestEditor();
  await editor.createAccount({ username: "Anna", email: "anna@ngo.example" });
});
afterEach(async () => {
  await editor.close();
});

async function requestReset(): Promise<string> {
  const response = await editor
    .client()
    .post("/api/auth/password-reset", { email: "anna@ngo.example" });
  expect(response.status).toBe(202);
  await backgroundMailSettled();
  return linkToken(editor.inbox.latest("anna@ngo.example", "Reset your password"));
}

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe("password reset", () => {
  it("sets the new password through the mailed link", async () => {
    const token = await requestReset();
    const confirmed = await editor
      .client()
      .post("/api/auth/password-reset/confirm", { token, password: NEW_PASSWORD });
    expect(confirmed.status).toBe(204);
    expect((await editor.client().signIn("Anna")).status).toBe(401);
    expect((await editor.client().signIn("Anna", NEW_PASSWORD)).status).toBe(200);
  });

  it("answers alike for an unknown address and sends nothing", async () => {
    const response = await editor.client().post("/api/auth/password-reset", {
      email: "nobody@ngo.example",
    });
    expect(response.status).toBe(202);
    const known = await editor.client().post("/api/auth/password-reset", {
      email: "anna@ngo.example",
    });
    expect(await response.json()).toEqual(await known.json());
    await backgroundMailSettled();
    expect(editor.inbox.messages.map((mail) => mail.to[0])).toEqual(["anna@ngo.example"]);
  });

  it("accepts a link only once", async () => {
    const token = await requestReset();
    const browser = editor.client();
    await browser.post("/api/auth/password-reset/confirm", { token, password: NEW_PASSWORD });
    const again = await browser.post("/api/auth/password-reset/confirm", {
      token,
      password: "another fine 77 phrase",
    });
    expect(again.status).toBe(400);
    expect(await errorCode(again)).toBe("INVALID_TOKEN");
  });

  it("rejects a link older than 1 hour", async () => {
    const token = await requestReset();
    editor.clock.advance(60 * 60_000);
    const response = await editor
      .client()
      .post("/api/auth/password-reset/confirm", { token, password: NEW_PASSWORD });
    expect(response.status).toBe(400);
  });

  it("keeps the link working after a rejected password", async () => {
    const token = await requestReset();
    const browser = editor.client();
    const weak = await browser.post("/api/auth/password-reset/confirm", {
      token,
      password: "password1234",
    });
    expect(weak.status).toBe(400);
    expect(await errorCode(weak)).toBe("INVALID_INPUT");
    const good = await browser.post("/api/auth/password-reset/confirm", {
      token,
      password: NEW_PASSWORD,
    });
    expect(good.status).toBe(204);
  });

  it("ends every session of the account", async () => {
    const laptop = editor.client();
    const phone = editor.client();
    await laptop.signIn("Anna");
    await phone.signIn("Anna");
    const token = await requestReset();
    await editor
      .client()
      .post("/api/auth/password-reset/confirm", { token, password: NEW_PASSWORD });
    expect((await laptop.get("/api/session")).status).toBe(401);
    expect((await phone.get("/api/session")).status).toBe(401);
  });

  it("is refused while the account is locked", async () => {
    const token = await requestReset();
    for (let attempt = 1; attempt <= 5; attempt++) {
      await editor.client().signIn("Anna", "wrong password!");
    }
    const response = await editor
      .client()
      .post("/api/auth/password-reset/confirm", { token, password: NEW_PASSWORD });
    expect(response.status).toBe(423);
    const body = (await response.json()) as { error: { code: string; unlockAt: string } };
    expect(body.error.code).toBe("ACCOUNT_LOCKED");
    expect(body.error.unlockAt).toBeDefined();

    await backgroundMailSettled();
    const before = editor.inbox.messages.length;
    await editor.client().post("/api/auth/password-reset", { email: "anna@ngo.example" });
    await backgroundMailSettled();
    expect(editor.inbox.messages).toHaveLength(before);
  });
});
