/**
 * The search page in a real browser, against the real exports imported and built into a site.
 * Expected hits and counts are computed from the card files, independently of Pagefind.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CardInput } from "../pipeline/card/index.ts";
import { launchBrowser, openPage } from "./browser.ts";
import {
  type CatalogueCard,
  cardsWithStem,
  filterValues,
  readCatalogue,
  withFilters,
} from "./catalogue.ts";
import { choiceCount, hitPaths, statusHead, waitForStatus } from "./search-page.ts";
import { buildFixtureSite, type FixtureSite } from "./site-fixture.ts";

/** Query word and its English stem: it occurs in about 200 real summaries, several languages. */
const QUERY = "mobility";
const STEM = "mobil";
const PAGE_SIZE = 20;

let site: FixtureSite;
let browser: Browser;
let catalogue: CatalogueCard[];
let matches: CatalogueCard[];

/**
 * A card whose metadata looks like markup. Its word `zygomorphic` occurs in no real card, so it
 * is the only hit for that word.
 */
const MARKUP_CARD = {
  id: "TEST-MARKUP-0001",
  programme: "Culture (2007-2013)",
  title: `<img src="/none" onerror="window.injected = true"> <b>Bold</b> & co`,
  summary: "A zygomorphic flower festival.",
  agency: "EACEA",
  callYear: 2013,
  coordinator: { name: `<script>window.injected = true</script>Orchestra`, country: "BE" },
} satisfies CardInput;

/**
 * A card with a coordinator address and website, whose made-up names (`Vindrell`, `Ostrander`,
 * `xerophyte`, `quokka`) occur in no real card.
 */
const EXCERPT_CARD = {
  id: "TEST-EXCERPT-0002",
  programme: "Culture (2007-2013)",
  title: "Quokka orchard exchange",
  summary: "Apprentices from three regions planted a xerophyte garden together.",
  agency: "EACEA",
  callYear: 2011,
  coordinator: {
    name: "Vindrell Institute",
    address: "Weizenbergi 34",
    country: "EE",
    websites: ["http://vindrell.example.org/"],
  },
  partners: [{ name: "Ostrander Guild", country: "FI", websites: [] }],
} satisfies CardInput;

const EXCERPT_URL = "/projects/culture-2007-2013/test-excerpt-0002/";

beforeAll(async () => {
  site = await buildFixtureSite([MARKUP_CARD, EXCERPT_CARD]);
  browser = await launchBrowser();
  catalogue = await readCatalogue(site.contentDir);
  matches = cardsWithStem(catalogue, STEM);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/**
 * Picks a card with every field the card check reads, with its coordinator country and call year
 * as the two filters. Among such cards it takes the pair with the most hits that still fit on one
 * result page and where the call year removes some of the country's hits.
 */
function pickTarget() {
  const candidates = matches
    .filter(({ card }) => card.startDate && card.endDate && card.euGrant !== undefined)
    .filter(({ card }) => card.coordinator?.country && card.callYear !== undefined)
    .map((entry) => {
      const country = filterValues(entry.card, "coordinatorCountry")[0];
      const year = String(entry.card.callYear);
      const byCountry = withFilters(matches, { coordinatorCountry: country }).length;
      const byBoth = withFilters(matches, { coordinatorCountry: country, callYear: year }).length;
      return { entry, country, year, byCountry, byBoth };
    })
    .filter((pick) => pick.byBoth <= PAGE_SIZE && pick.byBoth < pick.byCountry)
    .sort((a, b) => b.byBoth - a.byBoth || a.entry.url.localeCompare(b.entry.url));
  const target = candidates[0];
  if (!target) throw new Error(`no card matching "${STEM}" has dates, grant and coordinator`);
  return target;
}

async function openSearch(page: Page, query = ""): Promise<void> {
  await page.goto(`${site.origin}/search/${query}`);
  await page.waitForSelector("#search-app:not([hidden])");
}

describe("search page", () => {
  it("finds, filters, restores and opens a card", async () => {
    const { context, page } = await openPage(browser, site.origin);
    const { entry, country, year, byCountry, byBoth } = pickTarget();
    const card = entry.card;
    await openSearch(page);

    // Full-text query, typed: the search runs after the typing pause.
    await page.fill("#search-query", QUERY);
    await waitForStatus(page, statusHead(matches.length, QUERY, 0));
    expect(await page.locator("#search-hits > li").count()).toBe(
      Math.min(PAGE_SIZE, matches.length),
    );
    expect(await page.locator("#search-hits mark").count()).toBeGreaterThan(0);
    expect(await choiceCount(page, "coordinatorCountry", country)).toEqual({
      count: byCountry,
      disabled: false,
    });

    // First filter: the coordinator country.
    await page.selectOption("#filter-coordinatorCountry", country);
    await waitForStatus(page, statusHead(byCountry, QUERY, 1));
    expect((await choiceCount(page, "callYear", year))?.count).toBe(byBoth);
    const byCountryOnly = withFilters(matches, { coordinatorCountry: country });
    for (const other of new Set(byCountryOnly.map((e) => String(e.card.callYear ?? "")))) {
      if (other === "") continue;
      const expected = withFilters(byCountryOnly, { callYear: other }).length;
      expect((await choiceCount(page, "callYear", other))?.count, `call year ${other}`).toBe(
        expected,
      );
    }

    // Second filter: the call year.
    await page.selectOption("#filter-callYear", year);
    await waitForStatus(page, statusHead(byBoth, QUERY, 2));
    const expectedPaths = withFilters(matches, { coordinatorCountry: country, callYear: year })
      .map((e) => e.url)
      .sort();
    expect((await hitPaths(page)).sort()).toEqual(expectedPaths);
    // The country list still offers the other countries, counted without the country filter.
    const otherCountry = withFilters(matches, { callYear: year }).find(
      (e) => filterValues(e.card, "coordinatorCountry")[0] !== country,
    );
    if (otherCountry) {
      const name = filterValues(otherCountry.card, "coordinatorCountry")[0];
      const count = withFilters(matches, { callYear: year, coordinatorCountry: name }).length;
      expect(await choiceCount(page, "coordinatorCountry", name)).toEqual({
        count,
        disabled: false,
      });
    }

    // The URL contains the whole state.
    const params = new URL(page.url()).searchParams;
    expect(params.get("q")).toBe(QUERY);
    expect(params.get("coordinatorCountry")).toBe(country);
    expect(params.get("callYear")).toBe(year);

    // Reloading the URL restores the same hits and controls.
    const before = await hitPaths(page);
    await page.reload();
    await waitForStatus(page, statusHead(byBoth, QUERY, 2));
    expect(await hitPaths(page)).toEqual(before);
    expect(await page.inputValue("#search-query")).toBe(QUERY);
    expect(await page.inputValue("#filter-callYear")).toBe(year);

    // Back restores the search before the call year filter, forward the one after.
    await page.goBack();
    await waitForStatus(page, statusHead(byCountry, QUERY, 1));
    expect(await page.inputValue("#filter-callYear")).toBe("");
    await page.goForward();
    await waitForStatus(page, statusHead(byBoth, QUERY, 2));

    // The hit shows its metadata and opens the card page.
    const hit = page.locator("#search-hits > li", { has: page.locator(`a[href="${entry.url}"]`) });
    const hitText = (await hit.textContent()) ?? "";
    expect(hitText).toContain(card.title);
    expect(hitText).toContain(card.programme);
    expect(hitText).toContain(`Call year ${year}`);
    expect(hitText).toContain(`Coordinator: ${card.coordinator?.name}`);
    expect(hitText).toContain(`Country: ${country}`);

    await hit.locator("a").first().click();
    await page.waitForURL(`${site.origin}${entry.url}`);
    expect((await page.textContent("h1"))?.trim()).toBe(card.title);
    const detail = (term: string) =>
      page
        .locator("dt", { hasText: new RegExp(`^${term}$`) })
        .locator("xpath=following-sibling::dd[1]")
        .textContent()
        .then((text) => text?.trim());
    expect(await detail("Project identifier")).toBe(card.id);
    expect(await page.locator("time").nth(0).getAttribute("datetime")).toBe(card.startDate);
    expect(await page.locator("time").nth(1).getAttribute("datetime")).toBe(card.endDate);
    const grant = Number((await detail("EU grant"))?.replace(/[^\d.]/g, ""));
    expect(grant).toBe(card.euGrant);
    const organisations = await page
      .locator('section[aria-labelledby="organisations-heading"]')
      .textContent();
    expect(organisations).toContain(card.coordinator?.name ?? "");
    await context.close();
  });

  it("shows metadata as text, never as markup", async () => {
    const { context, page } = await openPage(browser, site.origin);
    await openSearch(page, "?q=zygomorphic");
    await waitForStatus(page, statusHead(1, "zygomorphic", 0));
    const hit = page.locator("#search-hits > li");
    expect(await hit.locator("a.ecl-link").textContent()).toBe(MARKUP_CARD.title);
    expect(await hit.textContent()).toContain(`Coordinator: ${MARKUP_CARD.coordinator.name}`);
    expect(await hit.locator("img, b, script").count()).toBe(0);
    expect(await hit.locator("mark").textContent()).toBe("zygomorphic");
    expect(await page.evaluate(() => "injected" in window)).toBe(false);
    await context.close();
  });

  it("finds cards by names, identifier and title", async () => {
    const { context, page } = await openPage(browser, site.origin);
    for (const query of ["Vindrell", "Ostrander", "TEST-EXCERPT-0002", "quokka"]) {
      await openSearch(page, `?q=${encodeURIComponent(query)}`);
      await waitForStatus(page, statusHead(1, query, 0));
      expect(await hitPaths(page), query).toEqual([EXCERPT_URL]);
    }
    await context.close();
  });

  it("shows excerpts without card details", async () => {
    const { context, page } = await openPage(browser, site.origin);
    for (const query of ["xerophyte", "Vindrell"]) {
      await openSearch(page, `?q=${query}`);
      await waitForStatus(page, statusHead(1, query, 0));
      const excerpt = (await page
        .locator("#search-hits > li mark")
        .first()
        .evaluate((mark) => mark.parentElement?.textContent ?? "")) as string;
      expect(excerpt, query).toContain(query);
      for (const detail of ["Weizenbergi", "vindrell.example.org", "Country", "2011", "Estonia"]) {
        expect(excerpt, `${query} excerpt`).not.toContain(detail);
      }
    }
    await openSearch(page, "?q=xerophyte");
    await waitForStatus(page, statusHead(1, "xerophyte", 0));
    const summary = await page
      .locator("#search-hits > li mark")
      .first()
      .evaluate((mark) => mark.parentElement?.textContent ?? "");
    expect(summary).toContain("Apprentices from three regions planted a xerophyte garden");
    await context.close();
  });

  it("searches by filters only", async () => {
    const { context, page } = await openPage(browser, site.origin);
    const expected = withFilters(catalogue, { goodPractice: "yes" });
    await openSearch(page, "?goodPractice=yes");
    await waitForStatus(page, statusHead(expected.length, "", 1));
    // Success stories are good practices too, so the hits can fill more than one page.
    const paths = await hitPaths(page);
    expect(paths).toHaveLength(Math.min(PAGE_SIZE, expected.length));
    const expectedPaths = new Set(expected.map((e) => e.url));
    expect(paths.filter((path) => !expectedPaths.has(path))).toEqual([]);
    expect(await page.isChecked("#filter-goodPractice")).toBe(true);
    const labels = await page.$$eval("#search-hits > li", (items) =>
      items.map((item) => item.querySelector(".ecl-label")?.textContent),
    );
    expect(labels).toEqual(paths.map(() => "Good practice"));
    await context.close();
  });

  it("pages through the hits", async () => {
    const { context, page } = await openPage(browser, site.origin);
    await openSearch(page, `?q=${QUERY}&page=2`);
    await waitForStatus(page, `${statusHead(matches.length, QUERY, 0)} Showing 21 to 40.`);
    expect(await page.locator("#search-hits > li").count()).toBe(PAGE_SIZE);
    const second = await hitPaths(page);

    await page.click("#search-pagination a[aria-label='Next page']");
    await waitForStatus(page, `${statusHead(matches.length, QUERY, 0)} Showing 41 to`);
    expect(new URL(page.url()).searchParams.get("page")).toBe("3");
    const third = await hitPaths(page);
    expect(third.filter((path) => second.includes(path))).toEqual([]);
    // Focus moves to the results heading, so keyboard users start reading the new page.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("search-results-heading");

    await page.goBack();
    await waitForStatus(page, `${statusHead(matches.length, QUERY, 0)} Showing 21 to 40.`);
    expect(await hitPaths(page)).toEqual(second);

    // A page past the end shows the last page and corrects the URL.
    const lastPage = Math.ceil(matches.length / PAGE_SIZE);
    await openSearch(page, `?q=${QUERY}&page=999`);
    await waitForStatus(
      page,
      `${statusHead(matches.length, QUERY, 0)} Showing ${(lastPage - 1) * PAGE_SIZE + 1} to ${matches.length}.`,
    );
    expect(new URL(page.url()).searchParams.get("page")).toBe(String(lastPage));
    await context.close();
  });

  it("loads only the visible hits' fragments", async () => {
    const { context, page } = await openPage(browser, site.origin);
    const fragments: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/pagefind/fragment/")) fragments.push(request.url());
    });
    await openSearch(page, `?q=${QUERY}`);
    await waitForStatus(page, statusHead(matches.length, QUERY, 0));
    expect(matches.length).toBeGreaterThan(PAGE_SIZE);
    expect(new Set(fragments).size).toBe(PAGE_SIZE);
    await context.close();
  });

  it("points to the listings without JavaScript", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.origin}/search/?q=${QUERY}`);
    expect(await page.isVisible("#search-app")).toBe(false);
    const link = page.locator("main a[href='/programmes/']");
    expect(await link.count()).toBe(1);
    expect(await page.textContent("main")).toContain("Search needs JavaScript");
    await context.close();
  });

  it("sorts by newest call year", async () => {
    const { context, page } = await openPage(browser, site.origin);
    await openSearch(page, `?q=${QUERY}`);
    await waitForStatus(page, statusHead(matches.length, QUERY, 0));
    await page.selectOption("#search-sort", "newest");
    await page.waitForURL(/sort=newest/);
    await waitForStatus(page, statusHead(matches.length, QUERY, 0));
    const years = await page.$$eval("#search-hits > li", (items) =>
      items.map((item) => Number(item.textContent?.match(/Call year (\d{4})/)?.[1] ?? 0)),
    );
    const newest = Math.max(...matches.map((e) => e.card.callYear ?? 0));
    expect(years[0]).toBe(newest);
    expect(years).toEqual([...years].sort((a, b) => b - a));
    await context.close();
  });

  it("works with the keyboard alone", async () => {
    const { context, page } = await openPage(browser, site.origin);
    await openSearch(page);
    const focusedId = () => page.evaluate(() => document.activeElement?.id ?? "");
    const tabTo = async (id: string) => {
      for (let step = 0; step < 60; step++) {
        if ((await focusedId()) === id) return;
        await page.keyboard.press("Tab");
      }
      throw new Error(`Tab never reached #${id}; focus is on #${await focusedId()}`);
    };

    await tabTo("search-query");
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement as Element);
      return { style: style.outlineStyle, width: style.outlineWidth };
    });
    expect(outline.style).not.toBe("none");
    await page.keyboard.type(QUERY);
    await page.keyboard.press("Enter");
    await waitForStatus(page, statusHead(matches.length, QUERY, 0));

    const flagged = withFilters(matches, { resultsAvailable: "yes" });
    await tabTo("filter-resultsAvailable");
    await page.keyboard.press("Space");
    await waitForStatus(page, statusHead(flagged.length, QUERY, 1));
    expect(new URL(page.url()).searchParams.get("resultsAvailable")).toBe("yes");

    // The first result link comes after the sort list in the tab order.
    await tabTo("search-sort");
    await page.keyboard.press("Tab");
    const href = await page.evaluate(() => (document.activeElement as HTMLAnchorElement).href);
    expect(new URL(href).pathname).toBe((await hitPaths(page))[0]);
    await page.keyboard.press("Enter");
    await page.waitForURL(href);
    expect(await page.locator("article[data-pagefind-body]").count()).toBe(1);
    await context.close();
  });
});
