/**
 * A real editorial API for tests: `startTestEditor` (fresh SQLite file, server on 127.0.0.1
 * port 0, SMTP inbox, test clock) with the editorial modules, a fresh content folder and
 * attachments folder, and a rebuild queue on the same database that is never started.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { type CardInput, cardPath, writeCardFile } from "../../pipeline/card/index.ts";
import { importContacts } from "../../pipeline/contacts/import.ts";
import { editorialModules, prepareEditorial } from "../editorial.ts";
import { createRebuildQueue, type RebuildQueue } from "../publish/queue.ts";
import { startTestEditor, type TestClient, type TestEditor } from "../testing/test-editor.ts";
import { createUploadStore } from "../uploads/store.ts";
import type { EditorialServices } from "./services.ts";

export interface EditorialTest extends TestEditor {
  contentDir: string;
  queue: RebuildQueue;
  services: EditorialServices;
  /** Creates an account and returns a client signed in to it. */
  signedIn(account: Parameters<TestEditor["createAccount"]>[0]): Promise<TestClient>;
  /** Writes a card file and refreshes the project index; returns the file path. */
  addCard(card: CardInput): Promise<string>;
  /** Imports a contacts feed of `[projectId, email]` rows through the feed importer. */
  importContactsFeed(rows: [string, string][]): Promise<void>;
}

export interface EditorialTestOptions {
  /** Attachment size limit in bytes; the store's 100 MiB by default. */
  maxUploadBytes?: number;
  /** Time an upload may go without data; the store's 30 seconds by default. */
  uploadIdleTimeoutMs?: number;
}

export async function startEditorialTest(
  options: EditorialTestOptions = {},
): Promise<EditorialTest> {
  const folder = mkdtempSync(path.join(tmpdir(), "editorial-test-"));
  const contentDir = path.join(folder, "content");
  const logger = pino({ level: "silent" });
  let queue: RebuildQueue | undefined;
  const services: EditorialServices = {
    contentDir,
    uploads: createUploadStore({
      root: path.join(folder, "attachments"),
      maxBytes: options.maxUploadBytes,
      idleTimeoutMs: options.uploadIdleTimeoutMs,
      logger,
    }),
    // The queue needs the editor's database, which exists only once the editor has started.
    queue: {
      request: (input) => {
        if (!queue) throw new Error("rebuild queue requested before the test editor started");
        return queue.request(input);
      },
    },
  };
  const editor = await startTestEditor({ modules: editorialModules(services) });
  const startedQueue = createRebuildQueue({
    db: editor.db,
    run: async () => {},
    notify: () => {},
    logger,
    owner: "editorial-test",
    now: () => editor.clock.now().getTime(),
  });
  queue = startedQueue;
  await prepareEditorial(editor.deps, services);

  return {
    ...editor,
    contentDir,
    queue: startedQueue,
    services,
    async signedIn(account) {
      await editor.createAccount(account);
      const client = editor.client();
      const response = await client.signIn(account.username);
      if (response.status !== 200) {
        throw new Error(`sign-in of ${account.username} failed with ${response.status}`);
      }
      return client;
    },
    async addCard(card) {
      const file = cardPath(contentDir, card.programme, card.id);
      await writeCardFile(file, card);
      await prepareEditorial(editor.deps, services);
      return file;
    },
    async importContactsFeed(rows) {
      const file = path.join(folder, "contacts.csv");
      const header =
        "Project Identifier;Contact name;Contact e-mail;Contact phone;Contact role;Organisation";
      const lines = rows.map(([projectId, email]) => `${projectId};Contact Person;${email};;;`);
      writeFileSync(file, `${[header, ...lines].join("\n")}\n`);
      const report = await importContacts(file, editor.db);
      if (report.rejected) {
        throw new Error(`contacts feed rejected: ${JSON.stringify(report.issues)}`);
      }
    },
    async close() {
      await editor.close();
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
