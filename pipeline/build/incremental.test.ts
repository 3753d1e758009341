import { mkdir, mkdtemp, readdir, readFile, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, openPage } from "../../e2e/browser.ts";
import { serveStatic } from "../../e2e/static-server.ts";
import {
  type Card,
  cardPath,
  cardRelativePath,
  effectiveLabels,
  listCardFiles,
  readCardFile,
  writeCardFile,
} from "../card/index.ts";
import { writeSampleCards } from "../sample/write.ts";
import { buildSite } from "./build.ts";
import { readBuildState } from "./build-state.ts";
import { publishCards } from "./incremental.ts";
import { closePagefind } from "./pagefind.ts";

const SITE_URL = "http://127.0.0.1:4321";
/** A word no sample card contains, so that a search for it finds only the published result. */
const RESULT_WORD = "zephyrhandbook";

let root: string;
let contentDir: string;
let mediaDir: string;
let liveDir: string;
let browser: Browser;

/** Lists the HTML files of a site folder as sorted site-relative paths. */
async function htmlFiles(siteDir: string): Promise<string[]> {
  const entries = await readdir(siteDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => relative(siteDir, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
}

/** Returns the first card that has no Good practice label and no published result. */
async function pickCard(): Promise<{ file: string; card: Card }> {
  for await (const file of listCardFiles(contentDir)) {
    const card = await readCardFile(file);
    if (!effectiveLabels(card).goodPractice && card.editorial.results.length === 0) {
      return { file, card };
    }
  }
  throw new Error(`no card without labels and results in ${contentDir}`);
}

/** What the search page shows for `query`: its status, hit paths and programme counts. */
async function searchView(siteDir: string, query: string) {
  const server = await serveStatic(siteDir);
  const { context, page } = await openPage(browser, server.origin);
  try {
    await page.goto(`${server.origin}/search/${query}`);
    await page.waitForFunction(() => {
      const app = document.getElementById("search-app");
      const status = document.getElementById("search-status")?.textContent ?? "";
      return app !== null && !app.hasAttribute("aria-busy") && /match/.test(status);
    });
    const status = await page.textContent("#search-status");
    const hits = await page.$$eval("#search-hits a.ecl-link", (links) =>
      links.map((link) => new URL((link as HTMLAnchorElement).href).pathname),
    );
    const programmeCounts = await page.$$eval("#filter-programme option", (options) =>
      options.map((option) => `${(option as HTMLOptionElement).value}=${option.dataset.count}`),
    );
    return { status, hits, programmeCounts };
  } finally {
    await context.close();
    await server.close();
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "incremental-"));
  contentDir = join(root, "content");
  mediaDir = join(root, "media");
  liveDir = join(root, "live", "dist");
  await mkdir(mediaDir, { recursive: true });
  await writeSampleCards(contentDir, 120, "incremental-test");
  await buildSite({ contentDir, outDir: liveDir, mediaDir, siteUrl: SITE_URL });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await closePagefind();
  await rm(root, { recursive: true, force: true });
});

describe("publishCards", () => {
  test("incremental publication equals a full build", async () => {
    const { file, card } = await pickCard();
    card.editorial.results.push({
      id: "result-incremental",
      title: `Handbook ${RESULT_WORD}`,
      description: "A handbook published to test incremental publication.",
      published: true,
    });
    card.editorial.labels = { goodPractice: true, successStory: false };
    card.editorial.website = "https://example.org/incremental";
    await writeCardFile(file, card);

    const published = await publishCards({
      contentDir,
      outDir: liveDir,
      mediaDir,
      siteUrl: SITE_URL,
      cardIds: [card.id],
    });
    expect(published.mode).toBe("incremental");
    if (published.mode !== "incremental") return;
    expect(published.cards).toHaveLength(1);
    expect(published.pages).toContain("/good-practices/");
    expect(published.pages).toContain("/feed.xml");

    const referenceDir = join(root, "reference", "dist");
    await buildSite({ contentDir, outDir: referenceDir, mediaDir, siteUrl: SITE_URL });
    const liveSite = await realpath(liveDir);
    const referenceSite = await realpath(referenceDir);
    const files = await htmlFiles(referenceSite);
    expect(await htmlFiles(liveSite)).toEqual(files);
    const different: string[] = [];
    for (const page of [...files, "feed.xml"]) {
      const live = await readFile(join(liveSite, page));
      const reference = await readFile(join(referenceSite, page));
      if (!live.equals(reference)) different.push(page);
    }
    expect(different).toEqual([]);

    for (const query of [`?q=${RESULT_WORD}`, "?goodPractice=yes", "?q=education"]) {
      const live = await searchView(liveSite, query);
      const reference = await searchView(referenceSite, query);
      expect(live, query).toEqual(reference);
    }
    const found = await searchView(liveSite, `?q=${RESULT_WORD}`);
    expect(found.hits).toEqual([published.cards[0]]);
  }, 300_000);

  test("new card falls back to a full build", async () => {
    const { card } = await pickCard();
    const id = `${card.id}-copy`;
    await writeCardFile(cardPath(contentDir, card.programme, id), { ...card, id });

    const published = await publishCards({
      contentDir,
      outDir: liveDir,
      mediaDir,
      siteUrl: SITE_URL,
      cardIds: [id],
    });
    expect(published.mode).toBe("full");
    if (published.mode !== "full") return;
    expect(published.reason).toBe("CARD_NEW");
    expect(published.report.cards).toBe(121);
  }, 240_000);

  test("failed publication falls back to a full build", async () => {
    const { file, card } = await pickCard();
    const before = await realpath(liveDir);
    const pageFile = join(before, "good-practices", "index.html");
    const homeBefore = await readFile(join(before, "index.html"));
    // A folder where the listing page goes makes its rename fail halfway through the writes.
    await rm(pageFile);
    await mkdir(join(pageFile, "blocker"), { recursive: true });
    card.editorial.labels = { goodPractice: true, successStory: false };
    await writeCardFile(file, card);

    const published = await publishCards({
      contentDir,
      outDir: liveDir,
      mediaDir,
      siteUrl: SITE_URL,
      cardIds: [card.id],
    });
    expect(published.mode).toBe("full");
    if (published.mode !== "full") return;
    expect(published.reason).toBe("INCREMENTAL_FAILED");
    // The old folder served until the swap, its home page untouched by the failed publication.
    expect(await readFile(join(before, "index.html"))).toEqual(homeBefore);
    const after = await realpath(liveDir);
    expect(after).not.toBe(before);
    const listing = await readFile(join(after, "good-practices", "index.html"), "utf8");
    const cardUrl = `/${cardRelativePath(card.programme, card.id).replace(/\.md$/, "")}/`;
    expect(listing).toContain(`href="${cardUrl}"`);
    expect(await readBuildState(liveDir)).toMatchObject({ siteDir: after });
  }, 240_000);
});
