/**
 * An editor app for benchmarks: a temp SQLite file, a signed-in beneficiary and its session
 * cookie, with mail written to a temp outbox and logs discarded.
 *
 *   const editor = await createBenchEditor({ listen: true });
 *   // autocannon({ url: `${editor.url}/api/session`, headers: { cookie: editor.cookie } })
 *   await editor.close();
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { serve } from "@hono/node-server";
import pino from "pino";
import { insertAccount } from "../accounts/account.ts";
import { createEditorApp, type EditorModule } from "../app.ts";
import { SESSION_COOKIE } from "../auth/cookie.ts";
import { hashPassword } from "../auth/password-hash.ts";
import { createSession } from "../auth/sessions.ts";
import { DEFAULT_RATE_LIMITS, type EditorConfig, TEST_HASH_COST } from "../config.ts";
import { openDatabase } from "../db/open.ts";
import type { EditorDeps } from "../http/context.ts";
import { createMailer } from "../mail/mailer.ts";

export type BenchEditor = {
  app: ReturnType<typeof createEditorApp>;
  deps: EditorDeps;
  /** Origin of the listening server (with `listen: true`), else PUBLIC_URL's origin. */
  url: string;
  /** `Cookie` header value carrying the session token. */
  cookie: string;
  /** CSRF token of that session, for `X-CSRF-Token` on writes (send `Origin: url` too). */
  csrfToken: string;
  accountId: number;
  close(): Promise<void>;
};

export async function createBenchEditor(
  options: { listen?: boolean; modules?: EditorModule[] } = {},
): Promise<BenchEditor> {
  const folder = mkdtempSync(path.join(tmpdir(), "editor-api-bench-"));
  const logger = pino({ level: "silent" });
  const db = openDatabase(path.join(folder, "editor.db"));
  let app: ReturnType<typeof createEditorApp> | undefined;
  let url = "http://127.0.0.1";
  let server: ReturnType<typeof serve> | undefined;
  if (options.listen) {
    server = serve({
      fetch: (request, env) => {
        if (!app) throw new Error("bench app not built yet");
        return app.fetch(request, env);
      },
      hostname: "127.0.0.1",
      port: 0,
    });
    const listening = server;
    await new Promise<void>((resolve) => listening.once("listening", resolve));
    url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  }

  const config: EditorConfig = {
    publicUrl: new URL(url),
    databasePath: path.join(folder, "editor.db"),
    smtpUrl: undefined,
    outboxDir: path.join(folder, "outbox"),
    oidc: undefined,
    cookieSecure: false,
    trustProxy: false,
    port: 0,
    passwordHashCost: TEST_HASH_COST,
    rateLimits: DEFAULT_RATE_LIMITS,
  };
  const mailer = createMailer({
    smtpUrl: undefined,
    outboxDir: config.outboxDir,
    from: "bench@example.test",
    logger,
  });
  const deps: EditorDeps = { db, clock: () => new Date(), mailer, logger, config };
  app = createEditorApp(deps, options.modules);

  const accountId = insertAccount(
    db,
    {
      username: "BenchUser",
      firstName: "Bench",
      lastName: "User",
      email: "bench@example.test",
      passwordHash: await hashPassword("bench password 2026 long", TEST_HASH_COST),
      role: "beneficiary",
      agency: null,
      emailVerified: true,
    },
    new Date(),
  );
  const { token, session } = createSession(db, accountId, new Date());

  return {
    app,
    deps,
    url,
    cookie: `${SESSION_COOKIE}=${token}`,
    csrfToken: session.csrfToken,
    accountId,
    async close() {
      if (server) {
        const listening = server;
        await new Promise<void>((resolve) => {
          listening.close(() => resolve());
          if ("closeAllConnections" in listening) listening.closeAllConnections();
        });
      }
      db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
