/**
 * Webhook mode end to end on 127.0.0.1. A rebuild job commits the content with its audit
 * entries and pushes it to a local bare repository before it sends the signed dispatch, so the
 * receiver finds the commit on the remote. Settings are checked with one line per variable.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../editor-api/db/database.ts";
import { createTestDatabase, type TestDatabase } from "../../editor-api/db/test-database.ts";
import { recordAudit } from "../../editor-api/publish/audit.ts";
import { verifySignature } from "../../editor-api/publish/webhook.ts";
import { createCiRebuildRunner, loadCiRebuildSettings } from "./ci-rebuild.ts";

const SECRET = "0123456789abcdef0123456789abcdef";

let root: string;
let remote: string;
let clone: string;
let database: TestDatabase;
let db: Database;
let server: Server;
let received: { body: string; signed: boolean; remoteHead: string }[];

function git(cwd: string, ...args: string[]): string {
  const identity = ["-c", "user.name=Test", "-c", "user.email=test@example.test"];
  return execFileSync("git", [...identity, ...args], { cwd, encoding: "utf8" }).trim();
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "ci-rebuild-"));
  remote = join(root, "remote.git");
  clone = join(root, "server");
  git(root, "init", "--quiet", "--bare", "--initial-branch=main", remote);
  git(root, "clone", "--quiet", remote, clone);
  await mkdir(join(clone, "content/projects/erasmus-plus"), { recursive: true });
  await writeFile(join(clone, "content/projects/erasmus-plus/P1.md"), "first\n");
  git(clone, "add", ".");
  git(clone, "commit", "--quiet", "-m", "Start");
  git(clone, "push", "--quiet", "origin", "HEAD:refs/heads/main");
  database = createTestDatabase(root);
  db = database.open();

  received = [];
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      const signature = String(request.headers["x-signature-256"] ?? "");
      received.push({
        body,
        signed: verifySignature(SECRET, body, signature),
        remoteHead: git(remote, "log", "-1", "--format=%s", "main"),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolvePromise) => server.listen(0, "127.0.0.1", resolvePromise));
});

afterEach(async () => {
  await new Promise((resolvePromise) => server.close(resolvePromise));
  db.close();
  database.drop();
  await rm(root, { recursive: true, force: true });
});

describe("createCiRebuildRunner", () => {
  it("pushes the content before the dispatch", async () => {
    const port = (server.address() as AddressInfo).port;
    const { settings } = loadCiRebuildSettings({
      REBUILD_WEBHOOK_URL: `http://127.0.0.1:${port}/dispatches`,
      REBUILD_WEBHOOK_SECRET: SECRET,
      CONTENT_GIT_REMOTE: "origin",
    });
    if (!settings) throw new Error("test settings were rejected");
    await writeFile(join(clone, "content/projects/erasmus-plus/P1.md"), "second\n");
    recordAudit(db, {
      at: "2026-12-04T10:00:00.000Z",
      actorId: "3",
      action: "publish",
      projectId: "P1",
      field: "editorial.summary",
      oldValue: "old",
      newValue: "new",
    });
    const run = createCiRebuildRunner({
      settings,
      contentDir: join(clone, "content"),
      repoDir: clone,
      db,
      logger: pino({ level: "silent" }),
    });

    await run({
      id: 7,
      requestedAt: "2026-12-04T10:00:00.000Z",
      reason: "publish P1",
      cardIds: ["P1"],
      state: "running",
      notBefore: "2026-12-04T10:00:10.000Z",
      attempts: 1,
    });

    expect(received).toHaveLength(1);
    expect(received[0].signed).toBe(true);
    expect(received[0].remoteHead).toBe("Publish P1");
    expect(JSON.parse(received[0].body).client_payload.job_id).toBe(7);
    const message = git(remote, "log", "-1", "--format=%B", "main");
    expect(message).toContain("publish P1 editorial.summary by account 3");
    expect(message).not.toContain("new");
  });
});

describe("loadCiRebuildSettings", () => {
  it("is off without a webhook URL", () => {
    expect(loadCiRebuildSettings({ CONTENT_GIT_REMOTE: "origin" })).toEqual({ problems: [] });
  });

  it("names each wrong setting", () => {
    const { settings, problems } = loadCiRebuildSettings({
      REBUILD_WEBHOOK_URL: "ftp://ci.example.eu",
      REBUILD_WEBHOOK_SECRET: "short",
      CONTENT_GIT_BRANCH: "-delete",
    });
    expect(settings).toBeUndefined();
    expect(problems).toEqual([
      'REBUILD_WEBHOOK_URL: must be an http(s) URL (got "ftp://ci.example.eu"); set it to https://api.github.com/repos/OWNER/REPO/dispatches or your relay',
      "REBUILD_WEBHOOK_SECRET: must have at least 32 characters when REBUILD_WEBHOOK_URL is set (value hidden); generate one with: openssl rand -hex 32",
      'CONTENT_GIT_BRANCH: must be a branch name (got "-delete"); set it to a branch name such as main',
    ]);
  });
});
