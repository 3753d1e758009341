/**
 * axe-core audit (WCAG 2.0, 2.1 and 2.2, levels A and AA) of each page type of the built site,
 * with the real exports as content.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditAccessibility, formatViolations, launchBrowser, openPage } from "./browser.ts";
import { readCatalogue } from "./catalogue.ts";
import { waitForStatus } from "./search-page.ts";
import { buildFixtureSite, type FixtureSite } from "./site-fixture.ts";

let site: FixtureSite;
let browser: Browser;
let cardPath: string;
let programmePath: string;

beforeAll(async () => {
  site = await buildFixtureSite();
  browser = await launchBrowser();
  const catalogue = await readCatalogue(site.contentDir);
  // A Culture 2007-2013 card has a long summary and many partners, the fullest card page.
  const card = catalogue.find((entry) => entry.url.startsWith("/projects/culture-2007-2013/"));
  if (!card) throw new Error("the imported catalogue has no Culture 2007-2013 card");
  cardPath = card.url;
  programmePath = "/programmes/culture-2007-2013/";
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** Opens `path`, checks its HTTP status, runs `ready`, and asserts that axe finds nothing. */
async function expectAccessible(
  path: string,
  status: number,
  ready?: (page: Page) => Promise<void>,
) {
  const { context, page, blocked } = await openPage(browser, site.origin);
  try {
    const response = await page.goto(`${site.origin}${path}`);
    expect(response?.status(), `HTTP status of ${path}`).toBe(status);
    await ready?.(page);
    const violations = await auditAccessibility(page);
    expect(violations, `${path}:\n${formatViolations(violations)}`).toEqual([]);
    expect(blocked, `requests to other hosts from ${path}`).toEqual([]);
  } finally {
    await context.close();
  }
}

describe("accessibility", () => {
  it("home page", () => expectAccessible("/", 200));

  it("search page with results", () =>
    expectAccessible("/search/?q=mobility&coordinatorCountry=France", 200, async (page) => {
      await waitForStatus(page, "");
      await page.waitForSelector("#search-hits > li");
    }));

  // Pagefind 1.6 returns near matches for a word no card contains (seen with "qqqqzzzz"), so the
  // empty hit list comes from a call year that no card has.
  it("search page without results", () =>
    expectAccessible("/search/?q=mobility&callYear=1990", 200, (page) =>
      waitForStatus(page, "No projects"),
    ));

  it("search page before a search", () =>
    expectAccessible("/search/", 200, (page) => waitForStatus(page, "Type a word")));

  it("search page reflows at 320 px", async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${site.origin}/search/?q=mobility&coordinatorCountry=France`);
    await waitForStatus(page, "");
    await page.waitForSelector("#search-hits > li");
    // WCAG 1.4.10: no horizontal scrolling at a width of 320 CSS pixels.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      320,
    );
    expect(await page.isVisible("a[href='#search-results-heading']")).toBe(true);
    await context.close();
  });

  it("card page", () => expectAccessible(cardPath, 200));

  it("programme listing", () => expectAccessible(programmePath, 200));

  it("programmes index", () => expectAccessible("/programmes/", 200));

  it("help page", () => expectAccessible("/help/", 200));

  it("open data page", () => expectAccessible("/open-data/", 200));

  it("not-found page", () => expectAccessible("/no-such-page/", 404));
});
