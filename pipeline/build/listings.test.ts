import { describe, expect, test } from "vitest";
// The test compares the pipeline's copy of the listing order with the site's own.
import { newestFirst } from "../../site/lib/catalogue.ts";
import { PAGE_SIZE } from "../../site/lib/listing.ts";
import type { IndexEntry } from "./catalogue-index.ts";
import { LISTING_PAGE_SIZE, listingChanges, newestFirstOrder } from "./listings.ts";

function entry(number: number, fields: Partial<IndexEntry> = {}): IndexEntry {
  return {
    file: `/content/p/${number}.md`,
    url: `/projects/erasmus-plus/${String(number).padStart(4, "0")}/`,
    id: String(number),
    programme: "Erasmus+",
    programmeSlug: "erasmus-plus",
    title: `Project ${number}`,
    callYear: 2014 + (number % 7),
    endDate: `20${20 + (number % 5)}-0${1 + (number % 9)}-15`,
    countries: [],
    goodPractice: number % 3 === 0,
    successStory: false,
    ...fields,
  };
}

const catalogue = Array.from({ length: 230 }, (_, number) => entry(number));

describe("listing order", () => {
  test("matches the site's newestFirst", () => {
    const withoutYear = [...catalogue, entry(900, { callYear: undefined, endDate: undefined })];
    expect([...withoutYear].sort(newestFirstOrder)).toEqual([...withoutYear].sort(newestFirst));
  });

  test("page size matches the site's", () => {
    expect(LISTING_PAGE_SIZE).toBe(PAGE_SIZE);
  });
});

describe("listingChanges", () => {
  test("text change renders only the card's pages", () => {
    const after = catalogue.map((item) =>
      item.id === "10" ? { ...item, coordinatorName: "New coordinator" } : item,
    );
    const changes = listingChanges(catalogue, after, new Set([catalogue[10].url]));
    expect(changes.changed).toHaveLength(1);
    expect(changes.changed[0]).toMatch(/^\/programmes\/erasmus-plus\//);
    expect(changes.removed).toEqual([]);
  });

  test("new label renders the label listing", () => {
    const after = catalogue.map((item) =>
      item.id === "10" ? { ...item, goodPractice: true } : item,
    );
    const changes = listingChanges(catalogue, after, new Set([catalogue[10].url]));
    expect(changes.changed).toContain("/good-practices/");
    expect(changes.changed.some((url) => url.startsWith("/programmes/"))).toBe(true);
  });

  test("shorter listing removes its last page", () => {
    // 51 good practices fill two pages, 50 only one.
    const few = catalogue.slice(0, 153);
    const labelled = few.filter((item) => item.goodPractice);
    expect(labelled).toHaveLength(51);
    const dropped = labelled[0];
    const after = few.map((item) => (item === dropped ? { ...item, goodPractice: false } : item));
    const changes = listingChanges(few, after, new Set([dropped.url]));
    expect(changes.removed).toEqual(["/good-practices/2/"]);
    expect(changes.changed).toContain("/good-practices/");
  });
});
