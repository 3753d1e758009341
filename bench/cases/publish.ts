/**
 * Approval to live: on N sample cards (written as `npm run sample` writes them), a beneficiary
 * submits a result through the editor API and a signed-in officer approves it as good practice.
 * The figure is the wall-clock time from sending the approval until both are true: the card
 * page in the served folder shows the result with its label, and a search index fragment written
 * after the approval contains the result title. The platform's rebuild queue publishes with
 * `publishSite`, as `npm start` does, so the approved card is published incrementally
 * (`publishCards`), but with a debounce of 0 (`npm start` waits 10 s after the last approval).
 *
 * The reference is one full `buildSite` of the same catalogue in the same run, timed after an
 * untimed first build, or the first build itself from 50,000 cards. The page renderer is built
 * before the timed part, as `npm start` builds it at start-up, and its build time is a row of
 * its own.
 */
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { serve } from "@hono/node-server";
import pino from "pino";
import { insertAccount } from "../../editor-api/accounts/account.ts";
import { hashPassword } from "../../editor-api/auth/password-hash.ts";
import { loadConfig, TEST_HASH_COST } from "../../editor-api/config.ts";
import { createEditorialApp, prepareEditorial } from "../../editor-api/editorial.ts";
import type { EditorDeps } from "../../editor-api/http/context.ts";
import { alertHelpdesk } from "../../editor-api/publish/helpdesk-alert.ts";
import { createRebuildQueue } from "../../editor-api/publish/queue.ts";
import { createEditorDeps } from "../../editor-api/server.ts";
import { TestClient } from "../../editor-api/testing/test-editor.ts";
import { createUploadStore } from "../../editor-api/uploads/store.ts";
import { buildSite } from "../../pipeline/build/build.ts";
import { type PublishReport, prepareRenderer } from "../../pipeline/build/incremental.ts";
import { closePagefind } from "../../pipeline/build/pagefind.ts";
import {
  type Card,
  cardRelativePath,
  effectiveLabels,
  listCardFiles,
  readCardFile,
} from "../../pipeline/card/index.ts";
import { importContacts } from "../../pipeline/contacts/import.ts";
import { writeSampleCards } from "../../pipeline/sample/write.ts";
import { publishSite } from "../../scripts/start-steps.ts";
import { timed } from "../measure.ts";
import type { BenchCase } from "../types.ts";

const PASSWORD = "quiet harbour 61 lantern";
const DAY_MS = 86_400_000;
/** Maximum wait for the approved result to go live. The case fails after it. */
const LIVE_TIMEOUT_MS = 30 * 60_000;
const POLL_MS = 100;
/** Catalogue size from which the first full build is timed as the reference, not a second one. */
const SINGLE_BUILD_SIZE = 50_000;

/**
 * Returns the first card with an end date and a managing agency, so it can be submitted and
 * reviewed, and without a Good practice label, so the label shows only after the approval.
 */
async function pickCard(contentDir: string): Promise<Card> {
  for await (const file of listCardFiles(contentDir)) {
    const card = await readCardFile(file);
    if (card.endDate && card.agency && !effectiveLabels(card).goodPractice) return card;
  }
  throw new Error(
    `no sample card in ${contentDir} has an end date, a managing agency and no Good practice label`,
  );
}

async function addAccount(
  deps: EditorDeps,
  username: string,
  role: "beneficiary" | "officer",
  agency: string | null,
): Promise<void> {
  insertAccount(
    deps.db,
    {
      username,
      firstName: "Bench",
      lastName: username,
      email: `${username.toLowerCase()}@example.test`,
      passwordHash: await hashPassword(PASSWORD, TEST_HASH_COST),
      role,
      agency,
      emailVerified: true,
    },
    deps.clock(),
  );
}

async function expectStatus(response: Response, status: number, step: string) {
  if (response.status !== status) {
    throw new Error(`${step} returned HTTP ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as Record<string, unknown>;
}

/**
 * Returns the folders of the search bundles that the search page loads: those listed in
 * `/pagefind/shards.json`, or `/pagefind/` alone when the list is missing.
 */
async function listedBundles(distDir: string): Promise<string[]> {
  try {
    const list = JSON.parse(await readFile(join(distDir, "pagefind", "shards.json"), "utf8")) as {
      bundles?: string[];
    };
    if (Array.isArray(list.bundles) && list.bundles.length > 0) {
      return list.bundles.map((bundle) => join(distDir, ...bundle.split("/").filter(Boolean)));
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  return [join(distDir, "pagefind")];
}

/**
 * Returns true when a Pagefind fragment that the search page can load contains `text`: a
 * fragment in a listed bundle, modified at or after `sinceMs` (epoch milliseconds). Older
 * fragments are skipped, because Pagefind names fragments by content hash, so a changed page
 * gets a new file.
 * A bundle still being written is not listed yet, so its fragments do not count.
 */
async function searchIndexContains(distDir: string, text: string, sinceMs: number) {
  try {
    for (const bundle of await listedBundles(distDir)) {
      const fragmentDir = join(bundle, "fragment");
      for (const name of await readdir(fragmentDir)) {
        if (!name.endsWith(".pf_fragment")) continue;
        const path = join(fragmentDir, name);
        if ((await stat(path)).mtimeMs < sinceMs) continue;
        let bytes = await readFile(path);
        if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
        if (bytes.includes(text)) return true;
      }
    }
    return false;
  } catch (error) {
    // The bundle was replaced while it was read, so the next poll reads the new one.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** The Good practice label in a card page header. The site menu also names "Good practices". */
const GOOD_PRACTICE_LABEL = /class="card-labels"[^>]*>\s*<span[^>]*>Good practice<\/span>/;

/** True when the built card page lists the result and carries the Good practice label. */
async function cardPageShows(pageFile: string, resultTitle: string): Promise<boolean> {
  try {
    const html = await readFile(pageFile, "utf8");
    return html.includes(resultTitle) && GOOD_PRACTICE_LABEL.test(html);
  } catch (error) {
    // The page is missing only while the new site is swapped in.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

const publish: BenchCase = {
  name: "publish",
  description: "approval through the editor API until card page and search index show it",
  async run({ size, workDir, log }) {
    const contentDir = join(workDir, "content");
    const distDir = join(workDir, "dist");
    const mediaDir = join(workDir, "media");
    const imageCacheDir = join(workDir, "logo-cache");
    await mkdir(mediaDir, { recursive: true });
    await writeSampleCards(contentDir, size, "bench");
    const card = await pickCard(contentDir);
    const cardPath = cardRelativePath(card.programme, card.id).replace(/\.md$/, "");
    const pageFile = join(distDir, cardPath, "index.html");
    const resultTitle = `Benchmark handbook ${card.id}`;
    const siteUrl = "http://127.0.0.1";
    const build = () =>
      buildSite({ contentDir, outDir: distDir, mediaDir, imageCacheDir, siteUrl });

    const first = await timed(build);
    // From 50,000 cards a full build takes over ten minutes, so the first build is the reference.
    const reference = size >= SINGLE_BUILD_SIZE ? first : await timed(build);
    log(
      `first build of ${first.result.cards} cards in ${first.seconds.toFixed(1)} s` +
        (reference === first
          ? " (the reference)"
          : ` (untimed), full build in ${reference.seconds.toFixed(1)} s`),
    );
    const renderer = await timed(() => prepareRenderer(siteUrl));
    log(`page renderer ready in ${renderer.seconds.toFixed(1)} s`);

    // The editor API as npm start composes it, on a real database, served on 127.0.0.1.
    const logger = pino({ level: "silent" });
    let fetchApp: ((request: Request, env: unknown) => Response | Promise<Response>) | undefined;
    const server = serve({
      fetch: (request, env) =>
        fetchApp?.(request, env) ?? new Response("starting", { status: 503 }),
      hostname: "127.0.0.1",
      port: 0,
    });
    await new Promise<void>((resolvePromise) => server.once("listening", resolvePromise));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = loadConfig({
      PUBLIC_URL: baseUrl,
      DATABASE_PATH: join(workDir, "editor.db"),
      OUTBOX_DIR: join(workDir, "outbox"),
      PASSWORD_HASH_COST: "test",
    });
    // Ten days after the card's end date, when the final results may be submitted.
    const submittedAt = new Date(Date.parse(card.endDate ?? "") + 10 * DAY_MS);
    const deps: EditorDeps = { ...createEditorDeps(config, logger), clock: () => submittedAt };
    const publications: PublishReport[] = [];
    const jobStarts: number[] = [];
    let peakRss = process.memoryUsage().rss;
    const queue = createRebuildQueue({
      db: deps.db,
      run: async (job) => {
        jobStarts.push(performance.now());
        publications.push(
          await publishSite(
            { contentDir, distDir, mediaDir, imageCacheDir, logger, siteUrl },
            job.cardIds,
          ),
        );
      },
      notify: alertHelpdesk(deps),
      logger,
      owner: "bench-publish",
      debounceMs: 0,
      pollMs: POLL_MS,
    });
    const services = {
      contentDir,
      uploads: createUploadStore({ root: mediaDir, logger }),
      queue,
    };
    const feed = join(workDir, "contacts.csv");
    await writeFile(
      feed,
      "Project Identifier;Contact name;Contact e-mail;Contact phone;Contact role;Organisation\n" +
        `${card.id};Bench Beneficiary;beneficiary@example.test;;;\n`,
    );
    await importContacts(feed, deps.db);
    await prepareEditorial(deps, services);
    const app = createEditorialApp(deps, services);
    fetchApp = (request, env) => app.fetch(request, env);

    try {
      await addAccount(deps, "Beneficiary", "beneficiary", null);
      await addAccount(deps, "Officer", "officer", card.agency ?? null);
      const beneficiary = new TestClient(baseUrl);
      const officer = new TestClient(baseUrl);
      await expectStatus(
        await beneficiary.signIn("Beneficiary", PASSWORD),
        200,
        "beneficiary sign-in",
      );
      await expectStatus(await officer.signIn("Officer", PASSWORD), 200, "officer sign-in");

      const projectPath = `/api/projects/${encodeURIComponent(card.id)}`;
      const version = async (client: TestClient = beneficiary) =>
        (await expectStatus(await client.get(projectPath), 200, "project read")).version;
      const added = await expectStatus(
        await beneficiary.post(`${projectPath}/results`, {
          title: resultTitle,
          description: "A handbook written for the benchmark.",
          type: "Handbook",
          language: "en",
          version: await version(),
        }),
        201,
        "result draft",
      );
      const resultId = (added.result as { id: string }).id;
      await expectStatus(
        await beneficiary.post(`${projectPath}/submit`, { version: await version() }),
        200,
        "submission",
      );
      // The submission queues a publication of its own. An officer approves long after it has
      // run, so the timing starts once the queue is idle.
      queue.start();
      await waitForIdleQueue(queue);
      jobStarts.length = 0;
      publications.length = 0;
      const approvalVersion = await version(officer);

      // Timed from here: the approval, the queued publication and the search index update.
      const startedAtMs = Date.now();
      const started = performance.now();
      const approval = await officer.post(`/api/review/${encodeURIComponent(card.id)}/decision`, {
        decision: "approve",
        results: [{ id: resultId, publish: true }],
        labels: { goodPractice: true },
        version: approvalVersion,
      });
      await expectStatus(approval, 200, "approval");
      const answeredMs = performance.now() - started;
      // The search index is read only once the page is live, because reading it is slow. The
      // time is taken when the read that finds the title starts: the files it reads were in
      // place then, and the duration of the read itself is not counted.
      let pageLiveMs: number | undefined;
      let liveMs: number | undefined;
      let searchReadMs = 0;
      while (liveMs === undefined && performance.now() - started < LIVE_TIMEOUT_MS) {
        if (pageLiveMs === undefined && (await cardPageShows(pageFile, resultTitle))) {
          pageLiveMs = performance.now() - started;
        }
        if (pageLiveMs !== undefined) {
          const readStartedMs = performance.now() - started;
          if (await searchIndexContains(distDir, resultTitle, startedAtMs)) {
            liveMs = readStartedMs;
            searchReadMs = performance.now() - started - readStartedMs;
          }
        }
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        const failed = queue.list().find((job) => job.state === "failed");
        if (failed) throw new Error(`the rebuild failed: ${failed.error}`);
        if (liveMs === undefined) {
          await new Promise((resolvePromise) => setTimeout(resolvePromise, POLL_MS));
        }
      }
      if (pageLiveMs === undefined || liveMs === undefined) {
        throw new Error(`the approved result was not live after ${LIVE_TIMEOUT_MS / 60_000} min`);
      }
      // The page and the index are live before the job returns its report.
      while (publications.length === 0 && performance.now() - started < LIVE_TIMEOUT_MS) {
        await new Promise((resolvePromise) => setTimeout(resolvePromise, POLL_MS));
      }
      const publication = publications.at(-1);
      const mode =
        publication?.mode === "full" ? `full build (${publication.reason})` : publication?.mode;
      const jobStartedMs = (jobStarts.at(-1) ?? started) - started;
      log(
        `approval returned in ${answeredMs.toFixed(0)} ms, ${jobStarts.length} job(s), the last started after ${(jobStartedMs / 1000).toFixed(1)} s, card page live after ${(pageLiveMs / 1000).toFixed(1)} s, search index after ${(liveMs / 1000).toFixed(1)} s, ${mode}`,
      );
      if (publication?.mode === "incremental") {
        log(`steps: ${publication.steps.map((s) => `${s.step} ${s.milliseconds} ms`).join(", ")}`);
      }
      return [
        {
          name: `publish: approval to live, ${mode ?? "unknown"} (debounce 0)`,
          size,
          value: Math.round(liveMs / 100) / 10,
          unit: "s",
          reference: Math.round(reference.seconds * 10) / 10,
          referenceLabel: "full buildSite",
        },
        {
          name: "publish: approval to card page live",
          size,
          value: Math.round(pageLiveMs / 100) / 10,
          unit: "s",
          reference: Math.round(reference.seconds * 10) / 10,
          referenceLabel: "full buildSite",
        },
        {
          name: "publish: search index read (poll interval of the search figure)",
          size,
          value: Math.round(searchReadMs / 100) / 10,
          unit: "s",
        },
        {
          name: "publish: page renderer preparation (0 when cached)",
          size,
          value: Math.round(renderer.seconds * 10) / 10,
          unit: "s",
        },
        {
          name: "publish: RSS of the publishing process",
          size,
          value: Math.round(peakRss / 1024 ** 2),
          unit: "MiB",
        },
        {
          name: "publish: approval request",
          size,
          value: Math.round(answeredMs),
          unit: "ms",
        },
      ];
    } finally {
      await queue.stop();
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
      deps.db.close();
      await closePagefind();
    }
  },
};

export default publish;

/** Waits until the queue has no job queued or running, failing after `LIVE_TIMEOUT_MS`. */
async function waitForIdleQueue(queue: ReturnType<typeof createRebuildQueue>): Promise<void> {
  const deadline = performance.now() + LIVE_TIMEOUT_MS;
  while (queue.list().some((job) => job.state === "queued" || job.state === "running")) {
    if (performance.now() > deadline) {
      throw new Error(
        `the submission's publication timed out after ${LIVE_TIMEOUT_MS / 60_000} min. ` +
          "Check the rebuild log of the queue.",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
