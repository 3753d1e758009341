/**
 * Bytes of a first search, for the sharded search index and a single index of the same site.
 * Builds the site for N sample cards (not timed), serves it with the site server on 127.0.0.1,
 * opens `/search/` in Chromium and types a query one key at a time, as a visitor does. Counts
 * every request that finished before the first hits showed, page load included, then the
 * requests of a second, different query. The filter chunks that load after the first hits, for
 * the counts beside the filters, are logged but not counted in either figure.
 *
 * The build writes the sharded layout (`SEARCH_SHARD_PAGES` pages a shard). The same pages are
 * then indexed again as one bundle and measured the same way, as the reference of each row.
 *
 * Sizes are the uncompressed response bodies, and the same bodies compressed with gzip level 6
 * (node:zlib), because the site server sends no compressed responses itself. Pagefind's index
 * files are gzip already, so they barely shrink again.
 */
import { readdir, realpath, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { serve } from "@hono/node-server";
import type { Browser, Page, Request } from "playwright-core";
import { launchBrowser, openPage } from "../../e2e/browser.ts";
import { closePagefind, runPagefind } from "../../pipeline/build/pagefind.ts";
import { MANIFEST_FILE } from "../../pipeline/build/search-manifest.ts";
import { createSiteServer } from "../../scripts/site-server.ts";
import type { BenchCase, BenchRow } from "../types.ts";
import { runBuildCli, writeSample } from "./build.ts";

/** Words of the English sample summaries (`pipeline/sample/text.ts`), found in many cards. */
const FIRST_QUERY = "teachers";
const SECOND_QUERY = "heritage";
/** Pause between key presses, in milliseconds. */
const KEY_DELAY_MS = 80;
/** Longest wait for results; a large index on a loaded machine needs more than the default. */
const STEP_TIMEOUT_MS = 120_000;
/** The network counts as quiet after this long without a request in flight, in milliseconds. */
const QUIET_MS = 1000;

type Transfer = { requests: number; rawBytes: number; gzipBytes: number };

/** Records the body size of every finished request of a page, until `take()` empties it. */
function recordTransfers(page: Page) {
  let current: Transfer = { requests: 0, rawBytes: 0, gzipBytes: 0 };
  let inFlight = 0;
  let lastChange = performance.now();
  const pending: Promise<void>[] = [];

  const settle = () => {
    inFlight--;
    lastChange = performance.now();
  };
  page.on("request", () => {
    inFlight++;
    lastChange = performance.now();
  });
  page.on("requestfailed", settle);
  page.on("requestfinished", (request: Request) => {
    // The transfer is counted in the phase in which it finished, before its body is read.
    const counted = current;
    counted.requests++;
    pending.push(
      (async () => {
        const body = await (await request.response())?.body().catch(() => undefined);
        if (body) {
          counted.rawBytes += body.length;
          counted.gzipBytes += gzipSync(body, { level: 6 }).length;
        }
      })().finally(settle),
    );
  });

  return {
    /** Returns what finished since the last call, once every body of it is read. */
    async take(): Promise<Transfer> {
      const taken = current;
      current = { requests: 0, rawBytes: 0, gzipBytes: 0 };
      await Promise.all(pending.splice(0));
      return taken;
    },
    /** Waits until no request has been in flight for `QUIET_MS`. */
    async quiet(): Promise<void> {
      const deadline = performance.now() + STEP_TIMEOUT_MS;
      while (inFlight > 0 || performance.now() - lastChange < QUIET_MS) {
        if (performance.now() > deadline) throw new Error("the network never went quiet");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

/**
 * Waits until the page shows hits for `query`. The filter counts may still be loading: the page
 * sets the status sentence after the hits and before the counts.
 */
async function waitForHits(page: Page, query: string): Promise<void> {
  await page.waitForFunction(
    (words) => {
      const status = document.getElementById("search-status")?.textContent ?? "";
      const hits = document.querySelectorAll("#search-hits > li").length;
      return status.includes(words) && hits > 0;
    },
    `“${query}”`,
    { timeout: STEP_TIMEOUT_MS },
  );
}

function kibibytes(bytes: number): number {
  return Math.round((bytes / 1024) * 10) / 10;
}

/** Bytes of one layout: the page alone, a first search and a second query. */
type LayoutBytes = { pageLoad: Transfer; first: Transfer; afterFirst: Transfer; second: Transfer };

/** Measures the search page of the site served at `origin` in fresh browser contexts. */
async function measureLayout(browser: Browser, origin: string): Promise<LayoutBytes> {
  // Reference: the page alone, in a context with an empty cache.
  const plain = await openPage(browser, origin);
  const plainTransfers = recordTransfers(plain.page);
  await plain.page.goto(`${origin}/search/`);
  await plainTransfers.quiet();
  const pageLoad = await plainTransfers.take();
  await plain.context.close();

  // The same page in a fresh context, then a query typed into it.
  const { context, page, blocked } = await openPage(browser, origin);
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const transfers = recordTransfers(page);
  await page.goto(`${origin}/search/`);
  await page.waitForSelector("#search-app:not([hidden])");
  await page.focus("#search-query");
  await page.keyboard.type(FIRST_QUERY, { delay: KEY_DELAY_MS });
  await waitForHits(page, FIRST_QUERY);
  const first = await transfers.take();
  await transfers.quiet();
  const afterFirst = await transfers.take();

  await page.locator("#search-query").selectText();
  await page.keyboard.type(SECOND_QUERY, { delay: KEY_DELAY_MS });
  await waitForHits(page, SECOND_QUERY);
  await transfers.quiet();
  const second = await transfers.take();
  await context.close();
  if (blocked.length > 0) throw new Error(`the page requested other hosts: ${blocked[0]}`);
  return { pageLoad, first, afterFirst, second };
}

/** Deletes the search index of a built site and indexes its card pages as one bundle. */
async function indexAsOneBundle(distDir: string): Promise<void> {
  const siteDir = await realpath(distDir);
  for (const name of await readdir(siteDir)) {
    if (/^pagefind(-|$)/.test(name) || name === MANIFEST_FILE) {
      await rm(join(siteDir, name), { recursive: true, force: true });
    }
  }
  await runPagefind(siteDir, Number.MAX_SAFE_INTEGER);
  await closePagefind();
}

/** Builds the rows of one figure, sharded against the single index. */
function rowsOf(size: number, label: string, sharded: Transfer, single: Transfer): BenchRow[] {
  const reference = "single index";
  return [
    {
      name: `search-bytes: ${label}, gzip`,
      size,
      value: kibibytes(sharded.gzipBytes),
      unit: "KiB",
      reference: kibibytes(single.gzipBytes),
      referenceLabel: reference,
    },
    {
      name: `search-bytes: ${label}, raw`,
      size,
      value: kibibytes(sharded.rawBytes),
      unit: "KiB",
      reference: kibibytes(single.rawBytes),
      referenceLabel: reference,
    },
    {
      name: `search-bytes: ${label}, requests`,
      size,
      value: sharded.requests,
      unit: "requests",
      reference: single.requests,
      referenceLabel: reference,
    },
  ];
}

function describeLayout(name: string, bytes: LayoutBytes): string {
  return (
    `${name}: page load ${bytes.pageLoad.requests} requests (${kibibytes(bytes.pageLoad.gzipBytes)} KiB gzip), ` +
    `first search ${bytes.first.requests} (${kibibytes(bytes.first.gzipBytes)} KiB), ` +
    `${bytes.afterFirst.requests} more after its hits showed (${kibibytes(bytes.afterFirst.gzipBytes)} KiB, not counted), ` +
    `second query ${bytes.second.requests} (${kibibytes(bytes.second.gzipBytes)} KiB)`
  );
}

const searchBytes: BenchCase = {
  name: "search-bytes",
  description: "bytes a browser loads for /search/ and two queries, sharded and single index",
  async run({ size, workDir, repoRoot, log }) {
    const contentDir = join(workDir, "content");
    const distDir = join(workDir, "dist");
    await writeSample(repoRoot, contentDir, size);
    const built = await runBuildCli(repoRoot, contentDir, distDir, join(workDir, "report.json"));
    const bundles = built.report.searchBundles?.length ?? 1;
    log(
      `built ${built.report.cards} cards, ${bundles} search bundles, in ${built.seconds.toFixed(1)} s (untimed)`,
    );

    const app = createSiteServer({ distDir, attachmentsDir: join(workDir, "media") });
    const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await launchBrowser();
    try {
      const sharded = await measureLayout(browser, origin);
      log(describeLayout(`sharded (${bundles} bundles)`, sharded));
      await indexAsOneBundle(distDir);
      const single = await measureLayout(browser, origin);
      log(describeLayout("single index", single));
      return [
        ...rowsOf(size, "page load", sharded.pageLoad, single.pageLoad),
        ...rowsOf(size, "first search", sharded.first, single.first),
        ...rowsOf(size, "second query", sharded.second, single.second),
        {
          name: "search-bytes: search bundles",
          size,
          value: bundles,
          unit: "bundles",
        },
      ];
    } finally {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  },
};

export default searchBytes;
