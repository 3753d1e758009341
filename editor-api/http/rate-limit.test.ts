import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMITS } from "../config.ts";
import { startTestEditor, type TestEditor } from "../testing/test-editor.ts";

let editor: TestEditor;
beforeEach(async () => {
  editor = await startTestEditor({
    config: {
      rateLimits: { ...DEFAULT_RATE_LIMITS, login: { limit: 3, windowMs: 60_000 } },
    },
  });
});
afterEach(async () => {
  await editor.close();
});

describe("login rate limit", () => {
  it("answers 429 with Retry-After past the limit", async () => {
    const browser = editor.client();
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect((await browser.signIn("Nobody", "whatever")).status).toBe(401);
    }
    editor.clock.advance(20_000);
    const limited = await browser.signIn("Nobody", "whatever");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("40");
    const body = (await limited.json()) as { error: { code: string } };
    expect(body.error.code).toBe("RATE_LIMITED");
  });

  it("opens again in the next window", async () => {
    const browser = editor.client();
    for (let attempt = 1; attempt <= 4; attempt++) await browser.signIn("Nobody", "whatever");
    editor.clock.advance(60_000);
    expect((await browser.signIn("Nobody", "whatever")).status).toBe(401);
  });

  it("ignores X-Forwarded-For without TRUST_PROXY", async () => {
    const browser = editor.client();
    for (let attempt = 1; attempt <= 3; attempt++) {
      await browser.post(
        "/api/auth/login",
        { login: "Nobody", password: "whatever" },
        { headers: { "x-forwarded-for": `203.0.113.${attempt}` } },
      );
    }
    const limited = await browser.post(
      "/api/auth/login",
      { login: "Nobody", password: "whatever" },
      { headers: { "x-forwarded-for": "203.0.113.99" } },
    );
    expect(limited.status).toBe(429);
  });
});

describe("rate limit behind a proxy", () => {
  it("keys on X-Forwarded-For with TRUST_PROXY", async () => {
    const proxied = await startTestEditor({
      config: {
        trustProxy: true,
        rateLimits: { ...DEFAULT_RATE_LIMITS, login: { limit: 1, windowMs: 60_000 } },
      },
    });
    try {
      const browser = proxied.client();
      const send = (ip: string) =>
        browser.post(
          "/api/auth/login",
          { login: "Nobody", password: "whatever" },
          { headers: { "x-forwarded-for": `${ip}, 10.0.0.1` } },
        );
      expect((await send("203.0.113.1")).status).toBe(401);
      expect((await send("203.0.113.1")).status).toBe(429);
      expect((await send("203.0.113.2")).status).toBe(401);
    } finally {
      await proxied.close();
    }
  });
});
