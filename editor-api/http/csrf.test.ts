import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestEditor, type TestClient, type TestEditor } from "../testing/test-editor.ts";

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

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

const change = { newEmail: "anna@elsewhere.example", password: "violet tram 48 lantern" };

describe("CSRF protection", () => {
  it("rejects a write without Origin or Referer", async () => {
    const response = await browser.post("/api/account/email", change, { origin: null });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("CSRF_REJECTED");
  });

  it("rejects a write from another origin", async () => {
    const response = await browser.post("/api/account/email", change, {
      origin: "https://attacker.example",
    });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("CSRF_REJECTED");
  });

  it("rejects a signed-in write without the token", async () => {
    const response = await browser.post("/api/account/email", change, { csrf: false });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("CSRF_REJECTED");
  });

  it("rejects a token of another session", async () => {
    const other = editor.client();
    await editor.createAccount({ username: "Bert" });
    await other.signIn("Bert");
    const response = await browser.post("/api/account/email", change, {
      csrf: false,
      headers: { "x-csrf-token": other.csrfToken ?? "" },
    });
    expect(response.status).toBe(403);
  });

  it("rejects an anonymous write from another origin", async () => {
    const response = await editor
      .client()
      .post(
        "/api/auth/login",
        { login: "Anna", password: "x" },
        { origin: "https://attacker.example" },
      );
    expect(response.status).toBe(403);
  });

  it("accepts the token in the header with the right Origin", async () => {
    const response = await browser.post("/api/account/email", change);
    expect(response.status).toBe(202);
  });

  it("accepts Referer when Origin is absent", async () => {
    const response = await browser.post("/api/account/email", change, {
      origin: null,
      headers: { referer: `${editor.baseUrl}/dashboard/account` },
    });
    expect(response.status).toBe(202);
  });

  it("accepts the token as a _csrf form field", async () => {
    const form = new URLSearchParams({ _csrf: browser.csrfToken ?? "" });
    const response = await browser.post("/api/auth/logout", form.toString(), {
      csrf: false,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(204);
  });

  it("leaves reads alone", async () => {
    const response = await browser.get("/api/session", { origin: null });
    expect(response.status).toBe(200);
  });
});

describe("response hardening", () => {
  it("sends security headers", async () => {
    const response = await browser.get("/api/session");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });

  it("rejects a body over 64 KB with 413", async () => {
    const response = await browser.post("/api/auth/login", {
      login: "Anna",
      password: "x".repeat(70 * 1024),
    });
    expect(response.status).toBe(413);
    expect(await errorCode(response)).toBe("PAYLOAD_TOO_LARGE");
  });

  it("rejects a large form body with 413", async () => {
    const form = new URLSearchParams({
      _csrf: browser.csrfToken ?? "",
      padding: "x".repeat(70 * 1024),
    });
    const response = await browser.post("/api/auth/logout", form.toString(), {
      csrf: false,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(413);
  });

  it("rejects malformed JSON with 400 INVALID_INPUT", async () => {
    const response = await editor.client().post("/api/auth/login", "{not json", {
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("INVALID_INPUT");
  });

  it("answers unknown API routes with 404 NOT_FOUND", async () => {
    const response = await browser.get("/api/nothing-here");
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe("NOT_FOUND");
  });
});
