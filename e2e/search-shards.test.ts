/**
 * The search page over a catalogue indexed in several Pagefind bundles: 25 made-up cards, 10
 * pages a bundle, so three shards. Hits, filter counts, sorting and paging must cover them all.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closePagefind, updateSearchIndex } from "../pipeline/build/pagefind.ts";
import type { CardInput } from "../pipeline/card/index.ts";
import { launchBrowser, openPage } from "./browser.ts";
import { choiceCount, hitPaths, statusHead, waitForStatus } from "./search-page.ts";
import { buildCardSite, type FixtureSite } from "./site-fixture.ts";

const PAGES_PER_SHARD = 10;
const PAGE_SIZE = 20;
/**
 * Word in every summary. Pagefind 1.6 matches a word that a bundle lacks to the pages of the
 * longest word there that starts the query, so the queried words start with letters that no word
 * of the other cards starts with.
 */
const COMMON_WORD = "lighthouse";

/** One word per card, in alphabetical order: the build puts the first ten in shard 1. */
const WORDS = [
  "aardvark",
  "Badger",
  "camel",
  "Dingo",
  "elephant",
  "Ferret",
  "gazelle",
  "Hedgehog",
  "ibex",
  "Jackal",
  "koala",
  "Lemur",
  "marmot",
  "Narwhal",
  "ocelot",
  "Pangolin",
  "quail",
  "Raccoon",
  "salamander",
  "Tapir",
  "urchin",
  "Vicuna",
  "walrus",
  "Xerus",
  "yak",
];

/** Cards with ids in the reverse order of their titles, so the shards do not follow the ids. */
const CARDS = WORDS.map((word, index) => ({
  id: `SHARD-${String(WORDS.length - index).padStart(3, "0")}`,
  programme: "Erasmus+",
  title: `${word} survey`,
  summary: `${COMMON_WORD} study of the ${word.toLowerCase()} habitat.`,
  agency: "EACEA",
  callYear: 2014 + ((index * 7) % 9),
  goodPractice: index % 3 === 0,
  ...(index === 13 ? { editorial: { labels: { goodPractice: true, successStory: false } } } : {}),
})) satisfies CardInput[];

function urlOf(card: (typeof CARDS)[number]): string {
  return `/projects/erasmus-plus/${card.id.toLowerCase()}/`;
}

let site: FixtureSite;
let browser: Browser;

beforeAll(async () => {
  site = await buildCardSite(CARDS, PAGES_PER_SHARD);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function openSearch(page: Page, query: string): Promise<void> {
  await page.goto(`${site.origin}/search/${query}`);
  await page.waitForSelector("#search-app:not([hidden])");
}

/** Titles of the hits on the visible result page. */
function hitTitles(page: Page): Promise<string[]> {
  return page.$$eval("#search-hits a.ecl-link", (links) =>
    links.map((link) => link.textContent?.trim() ?? ""),
  );
}

describe("search over shards", () => {
  it("writes three bundles", async () => {
    const response = await fetch(`${site.origin}/pagefind/shards.json`);
    const shards = (await response.json()) as { bundles: string[]; pages: number };
    expect(shards.bundles).toEqual(["/pagefind/", "/pagefind-2/", "/pagefind-3/"]);
    expect(shards.pages).toBe(CARDS.length);
  });

  it("finds a card of each shard", async () => {
    const { context, page } = await openPage(browser, site.origin);
    for (const index of [0, 12, 24]) {
      const word = WORDS[index].toLowerCase();
      await openSearch(page, `?q=${word}`);
      await waitForStatus(page, statusHead(1, word, 0));
      expect(await hitPaths(page), word).toEqual([urlOf(CARDS[index])]);
    }
    await context.close();
  });

  it("counts filters over every shard", async () => {
    const { context, page } = await openPage(browser, site.origin);
    await openSearch(page, `?q=${COMMON_WORD}`);
    await waitForStatus(page, statusHead(CARDS.length, COMMON_WORD, 0));
    for (const year of new Set(CARDS.map((card) => card.callYear))) {
      const expected = CARDS.filter((card) => card.callYear === year).length;
      expect((await choiceCount(page, "callYear", String(year)))?.count, `${year}`).toBe(expected);
    }
    const labelled = CARDS.filter((card) => card.goodPractice || "editorial" in card);
    expect(await page.getAttribute("#filter-goodPractice", "data-count")).toBe(
      String(labelled.length),
    );

    await openSearch(page, `?q=${COMMON_WORD}&goodPractice=yes`);
    await waitForStatus(page, statusHead(labelled.length, COMMON_WORD, 1));
    expect((await hitPaths(page)).sort()).toEqual(labelled.map(urlOf).sort());
    await context.close();
  });

  it("sorts by title over every shard", async () => {
    const { context, page } = await openPage(browser, site.origin);
    const titles = CARDS.map((card) => card.title);
    await openSearch(page, `?q=${COMMON_WORD}&sort=title`);
    await waitForStatus(page, statusHead(CARDS.length, COMMON_WORD, 0));
    expect(await hitTitles(page)).toEqual(titles.slice(0, PAGE_SIZE));
    await openSearch(page, `?q=${COMMON_WORD}&sort=title&page=2`);
    await waitForStatus(page, statusHead(CARDS.length, COMMON_WORD, 0));
    expect(await hitTitles(page)).toEqual(titles.slice(PAGE_SIZE));
    await context.close();
  });

  it("sorts by call year over every shard", async () => {
    const { context, page } = await openPage(browser, site.origin);
    const years: number[] = [];
    for (const pageNumber of [1, 2]) {
      await openSearch(page, `?q=${COMMON_WORD}&sort=newest&page=${pageNumber}`);
      await waitForStatus(page, statusHead(CARDS.length, COMMON_WORD, 0));
      const shown = await page.$$eval("#search-hits > li", (items) =>
        items.map((item) => Number(item.textContent?.match(/Call year (\d{4})/)?.[1] ?? 0)),
      );
      years.push(...shown);
    }
    const expected = CARDS.map((card) => card.callYear).sort((a, b) => b - a);
    expect(years).toEqual(expected);
    await context.close();
  });

  it("fills a blank search without Pagefind", async () => {
    const { context, page } = await openPage(browser, site.origin);
    const paths: string[] = [];
    page.on("request", (request) => paths.push(new URL(request.url()).pathname));
    await openSearch(page, "");
    await waitForStatus(page, "Type a word");
    for (const year of new Set(CARDS.map((card) => card.callYear))) {
      const expected = CARDS.filter((card) => card.callYear === year).length;
      expect((await choiceCount(page, "callYear", String(year)))?.count, `${year}`).toBe(expected);
    }
    expect(paths).toContain("/pagefind/filter-counts.json");
    expect(paths.filter((path) => path.includes("/filter/"))).toEqual([]);
    expect(paths.filter((path) => path.endsWith(".pf_meta"))).toEqual([]);
    expect(paths).not.toContain("/pagefind/pagefind.js");
    await context.close();
  });

  it("shows hits before the filter counts", async () => {
    const { context, page } = await openPage(browser, site.origin);
    const heldRoutes: Route[] = [];
    await context.route("**/*.pf_filter", (route) => {
      heldRoutes.push(route);
    });
    await openSearch(page, `?q=${COMMON_WORD}`);
    await page.waitForFunction(
      (head) => document.getElementById("search-status")?.textContent?.startsWith(head),
      statusHead(CARDS.length, COMMON_WORD, 0),
    );
    expect(await page.locator("#search-hits > li").count()).toBe(PAGE_SIZE);
    await expect.poll(() => heldRoutes.length).toBeGreaterThan(0);
    expect(await page.getAttribute("#search-app", "aria-busy")).toBe("true");

    await context.unroute("**/*.pf_filter");
    for (const route of heldRoutes) await route.fallback();
    await waitForStatus(page, statusHead(CARDS.length, COMMON_WORD, 0));
    const year = String(CARDS[0].callYear);
    const expected = CARDS.filter((card) => card.callYear === CARDS[0].callYear).length;
    expect((await choiceCount(page, "callYear", year))?.count).toBe(expected);
    await context.close();
  });

  it("loads one WebAssembly module for all shards", async () => {
    const { context, page } = await openPage(browser, site.origin);
    const downloads: { path: string; bytes: number }[] = [];
    // The path is recorded at once and the size when the body arrives, so no response is missed
    // and no body is read after the context closed.
    const sizes: Promise<void>[] = [];
    page.on("response", (response) => {
      const path = new URL(response.url()).pathname;
      if (!path.startsWith("/pagefind")) return;
      const download = { path, bytes: 0 };
      downloads.push(download);
      sizes.push(
        response.body().then((body) => {
          download.bytes = body.length;
        }),
      );
    });
    await openSearch(page, `?q=${COMMON_WORD}`);
    await waitForStatus(page, statusHead(CARDS.length, COMMON_WORD, 0));
    const paths = downloads.map((download) => download.path);
    expect(paths.filter((path) => path.includes("wasm"))).toEqual(["/pagefind/wasm.en.pagefind"]);
    expect(paths.filter((path) => path.endsWith("pagefind.js"))).toEqual(["/pagefind/pagefind.js"]);
    for (const bundle of ["/pagefind-2/", "/pagefind-3/"]) {
      expect(paths.some((path) => path.startsWith(`${bundle}pagefind-entry.json`))).toBe(true);
    }
    await Promise.allSettled(sizes);
    if (process.env.SEARCH_BYTES_REPORT) {
      const total = downloads.reduce((sum, download) => sum + download.bytes, 0);
      process.stdout.write(`first search: ${downloads.length} files, ${total} bytes\n`);
      for (const download of downloads) {
        process.stdout.write(`  ${download.path} ${download.bytes}\n`);
      }
    }
    await context.close();
  });

  // Changes the site, so it runs last.
  it("searches a re-indexed first shard", async () => {
    const card = CARDS[0];
    const pagePath = `projects/erasmus-plus/${card.id.toLowerCase()}/index.html`;
    const file = join(site.outDir, pagePath);
    const html = await readFile(file, "utf8");
    expect(html).toContain("aardvark habitat");
    await writeFile(file, html.replaceAll("aardvark habitat", "albatross habitat"));
    expect(await updateSearchIndex(site.outDir, [pagePath])).toEqual({
      shards: 1,
      pages: PAGES_PER_SHARD,
    });
    await closePagefind();

    const { context, page } = await openPage(browser, site.origin);
    const shards = (await (await fetch(`${site.origin}/pagefind/shards.json`)).json()) as {
      bundles: string[];
    };
    expect(shards.bundles[0]).toMatch(/^\/pagefind-1-[0-9a-z]+\/$/);
    await openSearch(page, "?q=albatross");
    await waitForStatus(page, statusHead(1, "albatross", 0));
    expect(await hitPaths(page)).toEqual([urlOf(card)]);

    await openSearch(page, `?q=${COMMON_WORD}`);
    await waitForStatus(page, statusHead(CARDS.length, COMMON_WORD, 0));
    const year = String(card.callYear);
    const expected = CARDS.filter((other) => other.callYear === card.callYear).length;
    expect((await choiceCount(page, "callYear", year))?.count).toBe(expected);
    await context.close();
  });

  // Changes the site, so it runs last.
  it("reloads the index after a shard moved", async () => {
    const { context, page } = await openPage(browser, site.origin);
    await openSearch(page, `?q=${COMMON_WORD}`);
    await waitForStatus(page, statusHead(CARDS.length, COMMON_WORD, 0));

    // Card 13 is in shard 2. The second update deletes the folder this page loaded.
    const card = CARDS[12];
    const pagePath = `projects/erasmus-plus/${card.id.toLowerCase()}/index.html`;
    const file = join(site.outDir, pagePath);
    const html = await readFile(file, "utf8");
    await writeFile(file, html.replaceAll("marmot habitat", "mongoose habitat"));
    await updateSearchIndex(site.outDir, [pagePath]);
    await updateSearchIndex(site.outDir, [pagePath]);
    await closePagefind();

    await page.fill("#search-query", "mongoose");
    await page.press("#search-query", "Enter");
    await waitForStatus(page, statusHead(1, "mongoose", 0));
    expect(await hitPaths(page)).toEqual([urlOf(card)]);
    await context.close();
  });
});
