import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CookieJar } from "../testing/cookie-jar.ts";
import { startTestProvider, type TestProvider } from "../testing/oidc-test-provider.ts";
import { startTestEditor, type TestClient, type TestEditor } from "../testing/test-editor.ts";

let provider: TestProvider;
let editor: TestEditor;

async function startWith(disablePasswordLogin = false): Promise<void> {
  provider = await startTestProvider();
  editor = await startTestEditor({
    config: {
      oidc: {
        issuer: new URL(provider.issuer),
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        disablePasswordLogin,
      },
    },
  });
  provider.registerClient(`${editor.baseUrl}/api/auth/oidc/callback`);
}

afterEach(async () => {
  await editor.close();
  await provider.close();
});

/** Sends a request with the jar's cookies and stores the response's cookies. */
async function send(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set("cookie", cookie);
  const response = await fetch(url, { ...init, headers, redirect: "manual" });
  jar.store(url, response);
  return response;
}

/** Submits the first form of an HTML page with its hidden fields plus `fields`. */
async function submitForm(
  jar: CookieJar,
  pageUrl: string,
  html: string,
  fields: Record<string, string>,
): Promise<Response> {
  const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
  if (!action) throw new Error(`No form on ${pageUrl}: ${html.slice(0, 300)}`);
  const body = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    body.set(match[1] ?? "", match[2] ?? "");
  }
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return send(jar, new URL(action, pageUrl).toString(), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
}

/**
 * Walks a browser through the provider: follows redirects, fills in the login form with
 * `login` and accepts the consent form, and stops at the redirect back to the editor's
 * callback. Returns that callback URL.
 */
async function signInAtProvider(browser: TestClient, login: string): Promise<string> {
  let response = await browser.get("/api/auth/oidc/start");
  expect(response.status).toBe(302);
  let url = new URL(response.headers.get("location") ?? "", editor.baseUrl).toString();
  expect(url.startsWith(provider.issuer)).toBe(true);
  expect(new URL(url).searchParams.get("code_challenge_method")).toBe("S256");
  for (let step = 0; step < 20; step++) {
    if (url.startsWith(`${editor.baseUrl}/api/auth/oidc/callback`)) return url;
    response = await send(browser.jar, url);
    const location = response.headers.get("location");
    if (location) {
      url = new URL(location, url).toString();
      continue;
    }
    const html = await response.text();
    if (html.includes('name="prompt" value="login"')) {
      response = await submitForm(browser.jar, url, html, { login, password: "any" });
    } else if (html.includes('name="prompt" value="consent"')) {
      response = await submitForm(browser.jar, url, html, {});
    } else {
      throw new Error(`Unexpected page at ${url} (${response.status}): ${html.slice(0, 300)}`);
    }
    url = new URL(response.headers.get("location") ?? "", url).toString();
  }
  throw new Error("The provider did not redirect back to the callback");
}

async function sessionAccount(browser: TestClient) {
  const response = await browser.get("/api/session");
  expect(response.status).toBe(200);
  return ((await response.json()) as { account: Record<string, unknown> }).account;
}

describe("OIDC sign-in", () => {
  beforeEach(async () => {
    await startWith();
  });

  it("creates a beneficiary for a new verified identity", async () => {
    provider.identities.set("lea", {
      email: "lea@school.example",
      email_verified: true,
      given_name: "Lea",
      family_name: "Novak",
      preferred_username: "lea.novak",
    });
    const browser = editor.client();
    const callback = await signInAtProvider(browser, "lea");
    const response = await browser.get(callback);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${editor.baseUrl}/`);
    expect(await sessionAccount(browser)).toMatchObject({
      username: "leanovak",
      firstName: "Lea",
      lastName: "Novak",
      email: "lea@school.example",
      role: "beneficiary",
    });
  });

  it("links an existing account by verified e-mail", async () => {
    await editor.createAccount({ username: "Anna", email: "anna@ngo.example" });
    provider.identities.set("anna-sso", { email: "ANNA@ngo.example", email_verified: true });
    const browser = editor.client();
    await browser.get(await signInAtProvider(browser, "anna-sso"));
    expect(await sessionAccount(browser)).toMatchObject({ username: "Anna" });
    const linked = editor.db
      .prepare("SELECT oidc_subject FROM accounts WHERE username = 'Anna'")
      .get();
    expect(linked?.oidc_subject).toBe(`${provider.issuer} anna-sso`);

    const again = editor.client();
    await again.get(await signInAtProvider(again, "anna-sso"));
    expect(await sessionAccount(again)).toMatchObject({ username: "Anna" });
    expect(editor.db.prepare("SELECT count(*) AS n FROM accounts").get()?.n).toBe(1);
  });

  it("does not link an unverified e-mail", async () => {
    await editor.createAccount({ username: "Anna", email: "anna@ngo.example" });
    provider.identities.set("mallory", { email: "anna@ngo.example", email_verified: false });
    const browser = editor.client();
    const response = await browser.get(await signInAtProvider(browser, "mallory"));
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe("OIDC_EMAIL_NOT_VERIFIED");
    expect((await browser.get("/api/session")).status).toBe(401);
    const row = editor.db.prepare("SELECT oidc_subject FROM accounts").get();
    expect(row?.oidc_subject).toBeNull();
  });

  it("rejects a wrong state", async () => {
    provider.identities.set("lea", { email: "lea@school.example", email_verified: true });
    const browser = editor.client();
    const callback = new URL(await signInAtProvider(browser, "lea"));
    callback.searchParams.set("state", "forged-state-value");
    const response = await browser.get(callback.toString());
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe("OIDC_FAILED");
    expect((await browser.get("/api/session")).status).toBe(401);
  });

  it("rejects an ID token with another nonce", async () => {
    provider.identities.set("lea", { email: "lea@school.example", email_verified: true });
    const browser = editor.client();
    const callback = await signInAtProvider(browser, "lea");
    // The provider put the request's nonce into the ID token. The pending sign-in now expects
    // another nonce, as if the token came from another request.
    const changed = editor.db.prepare("UPDATE oidc_login_flows SET nonce = ?").run("other-nonce");
    expect(Number(changed.changes)).toBe(1);
    const response = await browser.get(callback);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe("OIDC_FAILED");
    expect((await browser.get("/api/session")).status).toBe(401);
    expect(editor.db.prepare("SELECT count(*) AS n FROM accounts").get()?.n).toBe(0);
  });

  it("rejects a callback from another browser", async () => {
    provider.identities.set("lea", { email: "lea@school.example", email_verified: true });
    const callback = await signInAtProvider(editor.client(), "lea");
    const stranger = editor.client();
    expect((await stranger.get(callback)).status).toBe(400);
    expect((await stranger.get("/api/session")).status).toBe(401);
  });
});

describe("OIDC with password login disabled", () => {
  beforeEach(async () => {
    await startWith(true);
  });

  it("rejects password sign-in of a linked account", async () => {
    await editor.createAccount({ username: "Anna", email: "anna@ngo.example" });
    expect((await editor.client().signIn("Anna")).status).toBe(200);
    provider.identities.set("anna-sso", { email: "anna@ngo.example", email_verified: true });
    const browser = editor.client();
    await browser.get(await signInAtProvider(browser, "anna-sso"));
    const response = await editor.client().signIn("Anna");
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe("PASSWORD_LOGIN_DISABLED");
  });
});
