import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import * as pagefind from "pagefind";
import { afterAll, describe, expect, it } from "vitest";
import { createFixtureSite, type FixturePage, writeFixturePages } from "./search-fixture.ts";
import { countBundleFilters, sumCounts } from "./search-manifest.ts";

const PAGES: FixturePage[] = Array.from({ length: 5 }, (_, index) => ({
  id: `card-${index + 1}`,
  title: `Card ${index + 1}`,
  summary: `Survey ${index + 1}.`,
  callYear: 2014 + (index % 2),
  goodPractice: index === 0,
}));

const sites: string[] = [];

afterAll(async () => {
  await pagefind.close();
  for (const siteDir of sites) await rm(siteDir, { recursive: true, force: true });
});

/** Indexes the fixture pages with `maxFragments` and returns the bundle folder. */
async function writeBundle(maxFragments: number): Promise<string> {
  const siteDir = await createFixtureSite();
  sites.push(siteDir);
  await writeFixturePages(siteDir, PAGES);
  const { index } = await pagefind.createIndex({ forceLanguage: "en", maxFragments });
  if (!index) throw new Error("Pagefind created no index");
  await index.addDirectory({ path: siteDir, glob: "projects/**/*.html" });
  await index.writeFiles({ outputPath: join(siteDir, "bundle") });
  await index.deleteIndex();
  return join(siteDir, "bundle");
}

describe("countBundleFilters", () => {
  for (const maxFragments of [1_000, 2]) {
    it(`counts with maxFragments ${maxFragments}`, async () => {
      const bundle = await writeBundle(maxFragments);
      const files = await readdir(join(bundle, "fragment"));
      // Two fragments at most means group files, fewer than the pages.
      if (maxFragments === 2) expect(files.length).toBeLessThan(PAGES.length);
      else expect(files).toHaveLength(PAGES.length);
      const counts = await countBundleFilters(bundle);
      expect(counts.callYear).toEqual({ "2014": 3, "2015": 2 });
      expect(counts.goodPractice).toEqual({ yes: 1 });
    });
  }

  it("counts an empty folder as no pages", async () => {
    const siteDir = await createFixtureSite();
    sites.push(siteDir);
    expect(await countBundleFilters(join(siteDir, "missing"))).toEqual({});
  });
});

describe("sumCounts", () => {
  it("adds values of every part", () => {
    const total = sumCounts([
      { callYear: { "2014": 2 }, topic: { Youth: 1 } },
      { callYear: { "2014": 1, "2015": 4 } },
    ]);
    expect(total).toEqual({ callYear: { "2014": 3, "2015": 4 }, topic: { Youth: 1 } });
  });
});
