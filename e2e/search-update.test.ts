/**
 * Re-indexing one search shard after a page change must give the browser the same hits and
 * filter counts as a full index of the same pages. Both sites are searched with Pagefind's own
 * browser runtime, merged as the search page merges them.
 */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closePagefind, runPagefind, updateSearchIndex } from "../pipeline/build/pagefind.ts";
import {
  createFixtureSite,
  type FixturePage,
  fixturePagePath,
  writeFixturePages,
} from "../pipeline/build/search-fixture.ts";
import { launchBrowser, openPage } from "./browser.ts";
import { type RunningServer, serveStatic } from "./static-server.ts";

const PAGES_PER_SHARD = 4;

/** Twelve cards in three shards. Every summary contains `lighthouse`, and some contain `otters`. */
const PAGES: FixturePage[] = Array.from({ length: 12 }, (_, index) => ({
  id: `card-${String(index + 1).padStart(2, "0")}`,
  title: `Card ${index + 1}`,
  summary: `Lighthouse survey ${index + 1}${index % 3 === 0 ? " of sea otters" : ""}.`,
  callYear: 2014 + (index % 4),
  goodPractice: index % 2 === 0,
}));

/** Card 6 (shard 2) loses its otters, gains herons, moves to 2021 and becomes a good practice. */
const CHANGED_INDEX = 5;
const CHANGED: FixturePage = {
  ...PAGES[CHANGED_INDEX],
  summary: "Lighthouse survey 6 of grey herons.",
  callYear: 2021,
  goodPractice: true,
};
const AFTER = PAGES.map((page, index) => (index === CHANGED_INDEX ? CHANGED : page));

interface SearchOutput {
  urls: string[];
  filters: Record<string, Record<string, number>>;
}

/** Searches every bundle of the site the page is on, as `site/search/pagefind.ts` merges them. */
async function searchSite(page: Page, term: string | null, filters: Record<string, string> = {}) {
  // A string, because Vitest rewrites `import()` inside functions passed to the browser.
  await page.evaluate(
    "import('/pagefind/pagefind.js').then((runtime) => { window.pagefindRuntime = runtime; })",
  );
  return page.evaluate(
    async ({ term, filters }) => {
      type Runtime = {
        options(options: Record<string, unknown>): Promise<void>;
        init(): Promise<void>;
        mergeIndex(path: string, options: Record<string, unknown>): Promise<void>;
        filters(): Promise<Record<string, Record<string, number>>>;
        search(
          term: string | null,
          options: Record<string, unknown>,
        ): Promise<{
          results: { data(): Promise<{ url: string }> }[];
          filters: Record<string, Record<string, number>>;
        }>;
      };
      const { bundles } = (await (await fetch("/pagefind/shards.json")).json()) as {
        bundles: string[];
      };
      const runtime = (window as unknown as { pagefindRuntime: Runtime }).pagefindRuntime;
      await runtime.options({ basePath: bundles[0] });
      await runtime.init();
      for (const bundle of bundles.slice(1)) await runtime.mergeIndex(bundle, {});
      await runtime.filters();
      const response = await runtime.search(term, { filters });
      const urls = await Promise.all(response.results.map(async (hit) => (await hit.data()).url));
      return { urls: urls.sort(), filters: response.filters };
    },
    { term, filters },
  );
}

let updated: { siteDir: string; server: RunningServer };
let reference: { siteDir: string; server: RunningServer };
let browser: Browser;

beforeAll(async () => {
  const updatedDir = await createFixtureSite();
  await writeFixturePages(updatedDir, PAGES);
  await runPagefind(updatedDir, PAGES_PER_SHARD);
  await writeFixturePages(updatedDir, AFTER);
  await updateSearchIndex(updatedDir, [fixturePagePath(CHANGED.id)]);

  const referenceDir = await createFixtureSite();
  await writeFixturePages(referenceDir, AFTER);
  await runPagefind(referenceDir, PAGES_PER_SHARD);
  await closePagefind();

  updated = { siteDir: updatedDir, server: await serveStatic(updatedDir) };
  reference = { siteDir: referenceDir, server: await serveStatic(referenceDir) };
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  for (const site of [updated, reference]) {
    await site?.server.close();
    if (site) await rm(site.siteDir, { recursive: true, force: true });
  }
});

/** Runs the same search on the updated site and on the reference site. */
async function searchBoth(term: string | null, filters: Record<string, string> = {}) {
  const outputs: SearchOutput[] = [];
  for (const site of [updated, reference]) {
    const { context, page } = await openPage(browser, site.server.origin);
    await page.goto(`${site.server.origin}/pagefind/shards.json`);
    outputs.push(await searchSite(page, term, filters));
    await context.close();
  }
  return { updated: outputs[0], reference: outputs[1] };
}

function urlOf(page: FixturePage): string {
  return `/projects/sample/${page.id}/`;
}

describe("updateSearchIndex in the browser", () => {
  it("lists the same number of pages", async () => {
    const read = (siteDir: string) => readFile(join(siteDir, "pagefind/shards.json"), "utf8");
    expect(JSON.parse(await read(updated.siteDir)).pages).toBe(PAGES.length);
    expect(JSON.parse(await read(reference.siteDir)).pages).toBe(PAGES.length);
  });

  it("finds the new word", async () => {
    const { updated: hits, reference: expected } = await searchBoth("herons");
    expect(hits.urls).toEqual([urlOf(CHANGED)]);
    expect(hits).toEqual(expected);
  });

  it("forgets the old word", async () => {
    const { updated: hits, reference: expected } = await searchBoth("otters");
    const otters = AFTER.filter((page) => page.summary.includes("otters")).map(urlOf);
    expect(hits.urls).toEqual(otters.sort());
    expect(hits).toEqual(expected);
  });

  it("counts filters as a full index", async () => {
    const { updated: hits, reference: expected } = await searchBoth("lighthouse");
    expect(hits.urls).toHaveLength(PAGES.length);
    expect(hits.filters.callYear["2021"]).toBe(1);
    expect(hits.filters.goodPractice.yes).toBe(AFTER.filter((page) => page.goodPractice).length);
    expect(hits).toEqual(expected);
  });

  it("filters as a full index", async () => {
    const { updated: hits, reference: expected } = await searchBoth(null, { callYear: "2021" });
    expect(hits.urls).toEqual([urlOf(CHANGED)]);
    expect(hits).toEqual(expected);
  });

  it("writes the same catalogue counts", async () => {
    const read = (siteDir: string) =>
      readFile(join(siteDir, "pagefind/filter-counts.json"), "utf8");
    expect(JSON.parse(await read(updated.siteDir))).toEqual(
      JSON.parse(await read(reference.siteDir)),
    );
  });

  it("serves the new shard folder", async () => {
    const shards = JSON.parse(
      await readFile(join(updated.siteDir, "pagefind/shards.json"), "utf8"),
    ) as { bundles: string[] };
    expect(shards.bundles[1]).toMatch(/^\/pagefind-2-[0-9a-z]+\/$/);
    const { context, page } = await openPage(browser, updated.server.origin);
    const entry = await page.goto(
      `${updated.server.origin}${shards.bundles[1]}pagefind-entry.json`,
    );
    expect(entry?.status()).toBe(200);
    await context.close();
  });
});
