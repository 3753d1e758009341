/**
 * A real editorial API for tests: fresh SQLite file, content folder and attachments folder in a
 * temp folder, a listening server on 127.0.0.1 port 0 built by `createEditorialApp`, a real SMTP
 * inbox, a rebuild queue that is never started, and the test clock of `testing/test-editor.ts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { serve } from "@hono/node-server";
import pino from "pino";
import { type CardInput, cardPath, writeCardFile } from "../../pipeline/card/index.ts";
import { importContacts } from "../../pipeline/contacts/import.ts";
import { insertAccount, type Role } from "../accounts/account.ts";
import { hashPassword } from "../auth/password-hash.ts";
import { DEFAULT_RATE_LIMITS, type EditorConfig, TEST_HASH_COST } from "../config.ts";
import { openDatabase } from "../db/open.ts";
import { createEditorialApp, prepareEditorial } from "../editorial.ts";
import type { EditorDeps } from "../http/context.ts";
import { createMailer } from "../mail/mailer.ts";
import { createRebuildQueue, type RebuildQueue } from "../publish/queue.ts";
import { type SmtpInbox, startSmtpInbox } from "../testing/smtp-inbox.ts";
import { TEST_PASSWORD, TestClient, TestClock } from "../testing/test-editor.ts";
import { createUploadStore } from "../uploads/store.ts";
import type { EditorialServices } from "./services.ts";

export interface EditorialTest {
  baseUrl: string;
  db: DatabaseSync;
  clock: TestClock;
  inbox: SmtpInbox;
  contentDir: string;
  queue: RebuildQueue;
  services: EditorialServices;
  client(): TestClient;
  /** Inserts a verified account with TEST_PASSWORD and returns its id. */
  createAccount(account: {
    username: string;
    email?: string;
    role?: Role;
    agency?: string;
  }): Promise<number>;
  /** Creates an account and returns a client signed in to it. */
  signedIn(account: Parameters<EditorialTest["createAccount"]>[0]): Promise<TestClient>;
  /** Writes a card file and refreshes the project index; returns the file path. */
  addCard(card: CardInput): Promise<string>;
  /** Imports a contacts feed of `[projectId, email]` rows through the feed importer. */
  importContactsFeed(rows: [string, string][]): Promise<void>;
  close(): Promise<void>;
}

export interface EditorialTestOptions {
  /** Attachment size limit in bytes; the store's 100 MiB by default. */
  maxUploadBytes?: number;
}

export async function startEditorialTest(
  options: EditorialTestOptions = {},
): Promise<EditorialTest> {
  const folder = mkdtempSync(path.join(tmpdir(), "editorial-test-"));
  const contentDir = path.join(folder, "content");
  const inbox = await startSmtpInbox();
  const clock = new TestClock();
  const logger = pino({ level: "silent" });
  const db = openDatabase(path.join(folder, "editor.db"));
  let app: ReturnType<typeof createEditorialApp> | undefined;
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
    databasePath: path.join(folder, "editor.db"),
    smtpUrl: inbox.url,
    outboxDir: path.join(folder, "outbox"),
    oidc: undefined,
    cookieSecure: false,
    trustProxy: false,
    port,
    passwordHashCost: TEST_HASH_COST,
    rateLimits: DEFAULT_RATE_LIMITS,
  };
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    outboxDir: config.outboxDir,
    from: "platform@example.test",
    logger,
  });
  const deps: EditorDeps = { db, clock: clock.now, mailer, logger, config };
  const queue = createRebuildQueue({
    db,
    run: async () => {},
    notify: () => {},
    logger,
    owner: "editorial-test",
    now: () => clock.now().getTime(),
  });
  const uploads = createUploadStore({
    root: path.join(folder, "attachments"),
    maxBytes: options.maxUploadBytes,
    logger,
  });
  const services: EditorialServices = { contentDir, uploads, queue };
  await prepareEditorial(deps, services);
  app = createEditorialApp(deps, services);

  const createAccount: EditorialTest["createAccount"] = async (account) => {
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
        agency: account.agency ?? (role === "officer" ? "EACEA" : null),
        emailVerified: true,
      },
      clock.now(),
    );
  };

  return {
    baseUrl,
    db,
    clock,
    inbox,
    contentDir,
    queue,
    services,
    client: () => new TestClient(baseUrl),
    createAccount,
    async signedIn(account) {
      await createAccount(account);
      const client = new TestClient(baseUrl);
      const response = await client.signIn(account.username);
      if (response.status !== 200) {
        throw new Error(`sign-in of ${account.username} failed with ${response.status}`);
      }
      return client;
    },
    async addCard(card) {
      const file = cardPath(contentDir, card.programme, card.id);
      await writeCardFile(file, card);
      await prepareEditorial(deps, services);
      return file;
    },
    async importContactsFeed(rows) {
      const file = path.join(folder, "contacts.csv");
      const header =
        "Project Identifier;Contact name;Contact e-mail;Contact phone;Contact role;Organisation";
      const lines = rows.map(([projectId, email]) => `${projectId};Contact Person;${email};;;`);
      writeFileSync(file, `${[header, ...lines].join("\n")}\n`);
      const report = await importContacts(file, db);
      if (report.rejected)
        throw new Error(`contacts feed rejected: ${JSON.stringify(report.issues)}`);
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await inbox.close();
      db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Sends a raw upload as a browser page would: session cookie, Origin and CSRF token. */
export async function upload(
  client: TestClient,
  pathname: string,
  body: Uint8Array | ReadableStream<Uint8Array>,
  options: { fileName: string; version?: number },
): Promise<Response> {
  const url = new URL(pathname, client.baseUrl);
  const headers: Record<string, string> = {
    origin: client.baseUrl,
    "content-type": "application/octet-stream",
    "x-file-name": encodeURIComponent(options.fileName),
  };
  const cookie = client.jar.header(url);
  if (cookie) headers.cookie = cookie;
  if (client.csrfToken) headers["x-csrf-token"] = client.csrfToken;
  if (options.version !== undefined) headers["if-match"] = `"${options.version}"`;
  const init: RequestInit & { duplex?: "half" } = {
    method: "PUT",
    headers,
    body: body as BodyInit,
  };
  if (body instanceof ReadableStream) init.duplex = "half";
  return fetch(url, init);
}
