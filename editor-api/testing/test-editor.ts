/**
 * A real editor API for tests: a fresh SQLite file in a temp folder, a listening server on
 * 127.0.0.1 port 0, a real SMTP inbox and a clock the test moves. Its HTTP client keeps a
 * cookie jar and sends the Origin and CSRF headers that a browser page would.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { serve } from "@hono/node-server";
import pino from "pino";
import { insertAccount, type Role } from "../accounts/account.ts";
import { createEditorApp, type EditorModule } from "../app.ts";
import { SESSION_COOKIE } from "../auth/cookie.ts";
import { hashPassword } from "../auth/password-hash.ts";
import { DEFAULT_RATE_LIMITS, type EditorConfig, TEST_HASH_COST } from "../config.ts";
import type { Database } from "../db/database.ts";
import { createTestDatabase } from "../db/test-database.ts";
import type { EditorDeps } from "../http/context.ts";
import { createMailer } from "../mail/mailer.ts";
import { CookieJar } from "./cookie-jar.ts";
import { type SmtpInbox, startSmtpInbox } from "./smtp-inbox.ts";

export const TEST_PASSWORD = "violet tram 48 lantern";

/** A clock frozen at a fixed instant until the test moves it. */
export class TestClock {
  #now: number;
  constructor(start = Date.parse("2026-12-04T09:00:00Z")) {
    this.#now = start;
  }
  now = (): Date => new Date(this.#now);
  advance(ms: number): void {
    this.#now += ms;
  }
}

export type RequestOptions = {
  /** Origin header to send; null sends none. Defaults to the server's own origin. */
  origin?: string | null;
  /** Sends the CSRF token of the jar's session (default true). */
  csrf?: boolean;
  headers?: Record<string, string>;
};

/** An HTTP client with its own cookie jar, like one browser. */
export class TestClient {
  readonly jar = new CookieJar();
  readonly baseUrl: string;
  csrfToken: string | undefined;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request(method: string, pathname: string, body?: unknown, options: RequestOptions = {}) {
    const url = new URL(pathname, this.baseUrl);
    const headers: Record<string, string> = { ...options.headers };
    const cookie = this.jar.header(url);
    if (cookie) headers.cookie = cookie;
    const origin = options.origin === undefined ? this.baseUrl : options.origin;
    if (origin !== null && method !== "GET") headers.origin = origin;
    if (options.csrf !== false && this.csrfToken && method !== "GET") {
      headers["x-csrf-token"] = this.csrfToken;
    }
    let payload: string | undefined;
    if (typeof body === "string") {
      payload = body;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers["content-type"] = "application/json";
    }
    const response = await fetch(url, { method, headers, body: payload, redirect: "manual" });
    this.jar.store(url, response);
    return response;
  }

  get(pathname: string, options?: RequestOptions) {
    return this.request("GET", pathname, undefined, options);
  }

  post(pathname: string, body?: unknown, options?: RequestOptions) {
    return this.request("POST", pathname, body, options);
  }

  patch(pathname: string, body?: unknown, options?: RequestOptions) {
    return this.request("PATCH", pathname, body, options);
  }

  /** Signs in with a password and keeps the session's CSRF token; returns the response. */
  async signIn(login: string, password = TEST_PASSWORD) {
    const response = await this.post("/api/auth/login", { login, password });
    if (response.status === 200) {
      const body = (await response.clone().json()) as { csrfToken: string };
      this.csrfToken = body.csrfToken;
    }
    return response;
  }

  sessionToken(): string | undefined {
    return this.jar.get(this.baseUrl, SESSION_COOKIE);
  }
}

export type TestEditor = {
  baseUrl: string;
  db: Database;
  clock: TestClock;
  inbox: SmtpInbox;
  config: EditorConfig;
  deps: EditorDeps;
  client(): TestClient;
  /** Inserts a verified account with TEST_PASSWORD and returns its id. */
  createAccount(account: {
    username: string;
    email?: string;
    role?: Role;
    agency?: string | null;
  }): Promise<number>;
  close(): Promise<void>;
};

export type TestEditorOptions = {
  config?: Partial<EditorConfig>;
  modules?: EditorModule[];
};

/** Starts a fresh editor API; call `close()` in afterEach. */
export async function startTestEditor(options: TestEditorOptions = {}): Promise<TestEditor> {
  const folder = mkdtempSync(path.join(tmpdir(), "editor-api-test-"));
  const inbox = await startSmtpInbox();
  const clock = new TestClock();
  const logger = pino({ level: "silent" });
  const database = createTestDatabase(folder);
  const db = database.open();
  let app: ReturnType<typeof createEditorApp> | undefined;
  const server = serve({
    fetch: (request, env) => {
      if (!app) throw new Error("test app not built yet");
      return app.fetch(request, env);
    },
    hostname: "127.0.0.1",
    port: 0,
  });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const config: EditorConfig = {
    publicUrl: new URL(baseUrl),
    databasePath: database.location,
    smtpUrl: inbox.url,
    outboxDir: path.join(folder, "outbox"),
    oidc: undefined,
    cookieSecure: false,
    trustProxy: false,
    port,
    passwordHashCost: TEST_HASH_COST,
    rateLimits: DEFAULT_RATE_LIMITS,
    ...options.config,
  };
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    outboxDir: config.outboxDir,
    from: "platform@example.test",
    logger,
  });
  const deps: EditorDeps = { db, clock: clock.now, mailer, logger, config };
  app = createEditorApp(deps, options.modules);

  return {
    baseUrl,
    db,
    clock,
    inbox,
    config,
    deps,
    client: () => new TestClient(baseUrl),
    async createAccount(account) {
      const role = account.role ?? "beneficiary";
      return insertAccount(
        db,
        {
          username: account.username,
          firstName: "Test",
          lastName: account.username,
          email: account.email ?? `${account.username.toLowerCase()}@example.test`,
          passwordHash: await hashPassword(TEST_PASSWORD, TEST_HASH_COST),
          role,
          agency: account.agency ?? (role === "officer" ? "DE02" : null),
          emailVerified: true,
        },
        clock.now(),
      );
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await inbox.close();
      db.close();
      database.drop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
