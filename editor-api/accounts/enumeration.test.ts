/**
 * Registration, password reset and verification resend return the same response for a known
 * and an unknown e-mail address, and each has its own rate limit per client address.
 */
import { type AddressInfo, createServer, type Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMITS } from "../config.ts";
import { startTestEditor, TEST_PASSWORD, type TestEditor } from "../testing/test-editor.ts";
import { backgroundMailSettled } from "./background-mail.ts";

let editor: TestEditor;
beforeEach(async () => {
  editor = await startTestEditor();
  await editor.createAccount({ username: "Anna", email: "anna@ngo.example" });
});
afterEach(async () => {
  await editor.close();
});

type Outcome = { status: number; body: unknown };

async function send(path: string, body: unknown): Promise<Outcome> {
  const response = await editor.client().post(path, body);
  return { status: response.status, body: await response.json() };
}

function registration(index: number, email = `person${index}@uni.example`) {
  return {
    username: `Person${index}`,
    firstName: "Maria",
    lastName: "Kowalska",
    email,
    password: TEST_PASSWORD,
  };
}

describe("enumeration", () => {
  it("registration responds alike for a taken address", async () => {
    const known = await send("/api/accounts", registration(1, "anna@ngo.example"));
    const unknown = await send("/api/accounts", registration(2));
    expect(known).toEqual(unknown);
    expect(known.status).toBe(202);
  });

  it("password reset responds alike", async () => {
    const known = await send("/api/auth/password-reset", { email: "anna@ngo.example" });
    const unknown = await send("/api/auth/password-reset", { email: "nobody@ngo.example" });
    expect(known).toEqual(unknown);
    expect(known.status).toBe(202);
  });

  it("password reset responds alike when locked", async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await editor.client().signIn("Anna", "not the right password");
    }
    const locked = await send("/api/auth/password-reset", { email: "anna@ngo.example" });
    const unknown = await send("/api/auth/password-reset", { email: "nobody@ngo.example" });
    expect(locked).toEqual(unknown);
  });

  it("verification resend responds alike", async () => {
    await send("/api/accounts", registration(3));
    const unverified = await send("/api/auth/verify-email/resend", {
      email: "person3@uni.example",
    });
    const verified = await send("/api/auth/verify-email/resend", { email: "anna@ngo.example" });
    const unknown = await send("/api/auth/verify-email/resend", { email: "nobody@ngo.example" });
    expect(verified).toEqual(unverified);
    expect(unknown).toEqual(unverified);
    expect(unverified.status).toBe(202);
  });
});

describe("rate limits", () => {
  const cases = [
    {
      name: "registration",
      limit: DEFAULT_RATE_LIMITS.register.limit,
      request: (index: number) => send("/api/accounts", registration(100 + index)),
    },
    {
      name: "password reset",
      limit: DEFAULT_RATE_LIMITS.passwordReset.limit,
      request: () => send("/api/auth/password-reset", { email: "anna@ngo.example" }),
    },
    {
      name: "verification resend",
      limit: DEFAULT_RATE_LIMITS.verificationResend.limit,
      request: () => send("/api/auth/verify-email/resend", { email: "anna@ngo.example" }),
    },
  ];

  it.each(cases)("limits $name per address", async ({ limit, request }) => {
    for (let index = 0; index < limit; index += 1) {
      expect((await request(index)).status).toBe(202);
    }
    const limited = await request(limit);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: "RATE_LIMITED" } });
  });

  it("sends Retry-After with 429", async () => {
    const { limit, windowMs } = DEFAULT_RATE_LIMITS.passwordReset;
    for (let index = 0; index <= limit; index += 1) {
      await editor.client().post("/api/auth/password-reset", { email: "anna@ngo.example" });
    }
    const limited = await editor
      .client()
      .post("/api/auth/password-reset", { email: "nobody@ngo.example" });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(windowMs / 1000);
  });

  it("keeps separate counters per kind", async () => {
    const { limit } = DEFAULT_RATE_LIMITS.passwordReset;
    for (let index = 0; index <= limit; index += 1) {
      await send("/api/auth/password-reset", { email: "anna@ngo.example" });
    }
    const resend = await send("/api/auth/verify-email/resend", { email: "anna@ngo.example" });
    expect(resend.status).toBe(202);
  });

  it("opens again after the window", async () => {
    const { limit, windowMs } = DEFAULT_RATE_LIMITS.verificationResend;
    for (let index = 0; index <= limit; index += 1) {
      await send("/api/auth/verify-email/resend", { email: "anna@ngo.example" });
    }
    editor.clock.advance(windowMs);
    const reopened = await send("/api/auth/verify-email/resend", { email: "anna@ngo.example" });
    expect(reopened.status).toBe(202);
  });
});

/**
 * Time limit of the silent mail server test, in milliseconds. That server never replies, so a
 * response that waited for it would not come at all.
 */
const SILENT_SERVER_TIMEOUT_MS = 10_000;

describe("mail delivery", () => {
  /** Accepts SMTP connections and never sends the greeting, like a mail server that hangs. */
  async function startSilentMailServer() {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolvePromise) => server.listen(0, "127.0.0.1", resolvePromise));
    const { port } = server.address() as AddressInfo;
    return {
      url: `smtp://127.0.0.1:${port}`,
      close: () =>
        new Promise<void>((resolvePromise) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolvePromise());
        }),
    };
  }

  it(
    "never delays responses that mail known addresses",
    async () => {
      const silent = await startSilentMailServer();
      const hanging = await startTestEditor({ config: { smtpUrl: silent.url } });
      try {
        await hanging.createAccount({ username: "Anna", email: "anna@ngo.example" });
        await hanging.createAccount({ username: "Bert", email: "bert@ngo.example" });
        hanging.db
          .prepare("UPDATE accounts SET email_verified_at = NULL WHERE username = ?")
          .run("Bert");
        const client = hanging.client();

        const reset = await client.post("/api/auth/password-reset", { email: "anna@ngo.example" });
        expect(reset.status).toBe(202);
        const resend = await client.post("/api/auth/verify-email/resend", {
          email: "bert@ngo.example",
        });
        expect(resend.status).toBe(202);
        const failures = [];
        for (let attempt = 0; attempt < 5; attempt += 1) {
          failures.push((await client.signIn("Anna", "not the right password")).status);
        }
        expect(failures).toEqual([401, 401, 401, 401, 423]);
      } finally {
        await silent.close();
        await backgroundMailSettled();
        await hanging.close();
      }
    },
    SILENT_SERVER_TIMEOUT_MS,
  );
});
