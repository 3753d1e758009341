/**
 * The rebuild queue with the real site build: a published change queues a job, a worker on the
 * editor database builds the site with `buildSite`, and a static server on 127.0.0.1 serves the
 * built folder. A SITE_URL without a scheme makes Astro reject its configuration, which is the
 * build failure used here.
 */
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import pino from "pino";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildSite } from "../../pipeline/build/build.ts";
import { closePagefind } from "../../pipeline/build/pagefind.ts";
import { buildsDirOf, PARTIAL_SUFFIX } from "../../pipeline/build/swap.ts";
import { cardRelativePath } from "../../pipeline/card/index.ts";
import type { Database } from "../db/database.ts";
import { openDatabase } from "../db/open.ts";
import { DANCE_CARD } from "../projects/fixtures.ts";
import { type EditorialTest, startEditorialTest } from "../projects/test-editorial.ts";
import { alertHelpdesk } from "./helpdesk-alert.ts";
import { publishCard } from "./publish.ts";
import { createRebuildQueue, type QueueOptions } from "./queue.ts";

const logger = pino({ level: "silent" });
const CARD_PATH = `/${cardRelativePath(DANCE_CARD.programme, DANCE_CARD.id).replace(/\.md$/, "/")}`;
const NEW_WEBSITE = "https://dance-across-borders.example.org/";
/** The debounce window of the test editor's queue, which queues the jobs. */
const DEBOUNCE_MS = 10_000;

let test: EditorialTest;
let root: string;
let distDir: string;
let origin: string;
let server: ReturnType<typeof serve>;
const connections: Database[] = [];

/** Builds the site from the test's content folder into `distDir`. */
async function build(siteUrl: string): Promise<void> {
  await buildSite({
    contentDir: test.contentDir,
    outDir: distDir,
    mediaDir: join(root, "media"),
    imageCacheDir: join(root, "logo-cache"),
    siteUrl,
  });
}

/** Creates a worker of the rebuild queue, on its own connection to the editor database. */
function worker(run: QueueOptions["run"], owner: string) {
  const db = openDatabase(test.config.databasePath);
  connections.push(db);
  return createRebuildQueue({
    db,
    run,
    notify: alertHelpdesk({ ...test.deps, db }),
    logger,
    owner,
    pollMs: 50,
    now: () => test.clock.now().getTime(),
  });
}

async function cardPage(): Promise<{ status: number; html: string }> {
  const response = await fetch(`${origin}${CARD_PATH}`);
  return { status: response.status, html: await response.text() };
}

/** Publishes a new website on the card, which queues a rebuild; returns the job id. */
async function publishWebsite(): Promise<number> {
  const result = await publishCard(
    test.contentDir,
    { id: DANCE_CARD.id, programme: DANCE_CARD.programme, editorial: { website: NEW_WEBSITE } },
    { db: test.db, queue: test.queue, actorId: "1", now: test.clock.now },
  );
  if (!result.ok || result.jobId === undefined) {
    throw new Error(`publishing failed: ${JSON.stringify(result)}`);
  }
  return result.jobId;
}

beforeEach(async () => {
  test = await startEditorialTest();
  await test.addCard(DANCE_CARD);
  await test.createAccount({ username: "Helpdesk1", role: "helpdesk" });
  await test.createAccount({ username: "Officer1", role: "officer", agency: "EACEA" });
  root = await mkdtemp(join(tmpdir(), "site-rebuild-"));
  distDir = join(root, "dist");
  await mkdir(join(root, "media"), { recursive: true });
  await build("http://127.0.0.1");

  const app = new Hono();
  app.use("*", serveStatic({ root: distDir }));
  server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
  await new Promise<void>((resolvePromise) => server.once("listening", resolvePromise));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterEach(async () => {
  await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
  for (const db of connections.splice(0)) if (db.isOpen) db.close();
  await test.close();
  await rm(root, { recursive: true, force: true });
});

afterAll(async () => {
  await closePagefind();
});

describe("site rebuild", () => {
  it("failed build keeps the old site and alerts helpdesk", async () => {
    const before = await cardPage();
    expect(before.status).toBe(200);
    expect(before.html).toContain("Dance across borders");
    expect(before.html).not.toContain(NEW_WEBSITE);

    const jobId = await publishWebsite();
    const builder = worker(() => build("catalogue.example.org"), "builder");
    test.clock.advance(DEBOUNCE_MS);
    expect(await builder.runDue()).toBe(1);

    const job = builder.get(jobId);
    expect(job?.state).toBe("failed");
    expect(job?.attempts).toBe(1);
    expect(job?.error).toContain("site build failed in step astro");

    const mail = test.inbox.latest("helpdesk1@example.test", `Site rebuild ${jobId} failed`);
    expect(mail.text).toContain("site build failed in step astro");
    const officerMail = test.inbox.messages.filter(
      (message) => message.to.includes("officer1@example.test") && /rebuild/i.test(message.subject),
    );
    expect(officerMail).toEqual([]);

    const after = await cardPage();
    expect(after.status).toBe(200);
    expect(after.html).toBe(before.html);
    const builds = await readdir(buildsDirOf(distDir));
    expect(builds.filter((name) => name.endsWith(PARTIAL_SUFFIX))).toEqual([]);
  }, 120_000);

  it("restarted queue runs the queued job", async () => {
    const jobId = await publishWebsite();
    expect(test.queue.get(jobId)?.state).toBe("queued");

    // A new worker on a new connection, as after a restart of the process.
    const restarted = worker(() => build("http://127.0.0.1"), "restarted");
    test.clock.advance(DEBOUNCE_MS);
    restarted.start();
    try {
      await expect
        .poll(() => restarted.get(jobId)?.state, { timeout: 90_000, interval: 200 })
        .toBe("done");
    } finally {
      await restarted.stop();
    }
    expect(restarted.get(jobId)?.leaseOwner).toBeUndefined();
    const page = await cardPage();
    expect(page.status).toBe(200);
    expect(page.html).toContain(`href="${NEW_WEBSITE}"`);
  }, 120_000);
});
