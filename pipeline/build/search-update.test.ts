import { access, mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closePagefind, runPagefind, updateSearchIndex } from "./pagefind.ts";
import {
  createFixtureSite,
  type FixturePage,
  fixturePagePath,
  writeFixturePages,
} from "./search-fixture.ts";
import { MANIFEST_FILE, readManifest, SearchIndexError } from "./search-manifest.ts";

const PAGES: FixturePage[] = Array.from({ length: 7 }, (_, index) => ({
  id: `card-${index + 1}`,
  title: `Card ${index + 1}`,
  summary: `Survey number ${index + 1} of river otters.`,
  callYear: 2014 + (index % 3),
  goodPractice: index % 2 === 0,
}));

const sites: string[] = [];

async function indexedSite(): Promise<string> {
  const siteDir = await createFixtureSite();
  sites.push(siteDir);
  await writeFixturePages(siteDir, PAGES);
  await runPagefind(siteDir, 3);
  return siteDir;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

afterAll(async () => {
  await closePagefind();
  for (const siteDir of sites) await rm(siteDir, { recursive: true, force: true });
});

describe("runPagefind", () => {
  it("records shard membership", async () => {
    const siteDir = await indexedSite();
    const manifest = await readManifest(siteDir);
    expect(manifest.shards.map((shard) => shard.bundle)).toEqual([
      "/pagefind/",
      "/pagefind-2/",
      "/pagefind-3/",
    ]);
    expect(manifest.shards.map((shard) => shard.pages.length)).toEqual([3, 3, 1]);
    expect(manifest.shards[2].pages).toEqual([fixturePagePath("card-7")]);
  });

  it("writes catalogue filter counts", async () => {
    const siteDir = await indexedSite();
    const counts = JSON.parse(await readFile(join(siteDir, "pagefind/filter-counts.json"), "utf8"));
    expect(counts.callYear).toEqual({ "2014": 3, "2015": 2, "2016": 2 });
    expect(counts.goodPractice).toEqual({ yes: 4 });
  });
});

describe("runPagefind again", () => {
  it("replaces the earlier index", async () => {
    const siteDir = await indexedSite();
    await updateSearchIndex(siteDir, [fixturePagePath("card-4")]);
    const changed = PAGES.map((page) => ({ ...page, callYear: 2030 }));
    await writeFixturePages(siteDir, changed.slice(0, 5));
    await rm(join(siteDir, "projects/sample/card-6"), { recursive: true });
    await rm(join(siteDir, "projects/sample/card-7"), { recursive: true });

    const result = await runPagefind(siteDir, 3);
    expect(result.bundles).toEqual(["/pagefind/", "/pagefind-2/"]);
    const names = (await readdir(siteDir)).filter((name) => name.startsWith("pagefind"));
    expect(names.sort()).toEqual(["pagefind", "pagefind-2"]);
    const counts = JSON.parse(await readFile(join(siteDir, "pagefind/filter-counts.json"), "utf8"));
    expect(counts.callYear).toEqual({ "2030": 5 });
    const fragments = await readdir(join(siteDir, "pagefind-2", "fragment"));
    expect(fragments).toHaveLength(2);
  });
});

describe("updateSearchIndex", () => {
  it("re-indexes only the changed shard", async () => {
    const siteDir = await indexedSite();
    const changed = { ...PAGES[4], callYear: 2020 };
    await writeFixturePages(siteDir, [...PAGES.slice(0, 4), changed, ...PAGES.slice(5)]);

    const result = await updateSearchIndex(siteDir, [fixturePagePath("card-5")]);
    expect(result).toEqual({ shards: 1, pages: 3 });

    const shards = JSON.parse(await readFile(join(siteDir, "pagefind/shards.json"), "utf8"));
    expect(shards.bundles[0]).toBe("/pagefind/");
    expect(shards.bundles[1]).toMatch(/^\/pagefind-2-[0-9a-z]+\/$/);
    expect(shards.bundles[2]).toBe("/pagefind-3/");
    expect(shards.pages).toBe(PAGES.length);
    expect(await exists(join(siteDir, shards.bundles[1], "pagefind-entry.json"))).toBe(true);
    // Pages that read the old list can still load the old folder until the next update.
    expect(await exists(join(siteDir, "pagefind-2"))).toBe(true);

    const counts = JSON.parse(await readFile(join(siteDir, "pagefind/filter-counts.json"), "utf8"));
    expect(counts.callYear).toEqual({ "2014": 3, "2015": 1, "2016": 2, "2020": 1 });
  });

  it("deletes old folders on the next update", async () => {
    const siteDir = await indexedSite();
    await updateSearchIndex(siteDir, [fixturePagePath("card-5")]);
    const first = await readManifest(siteDir);
    await mkdir(join(siteDir, ".search-staging-0a1b2c3d"));
    await updateSearchIndex(siteDir, [fixturePagePath("card-1")]);

    const names = await readdir(siteDir);
    expect(names).not.toContain("pagefind-2");
    expect(names).not.toContain(".search-staging-0a1b2c3d");
    expect(names).toContain(first.shards[1].bundle.replaceAll("/", ""));
    expect(names).toContain("pagefind");
    const second = await readManifest(siteDir);
    for (const shard of second.shards) {
      expect(await exists(join(siteDir, shard.bundle, "pagefind-entry.json")), shard.bundle).toBe(
        true,
      );
    }
  });

  it("moves the primary shard out of /pagefind/", async () => {
    const siteDir = await indexedSite();
    const result = await updateSearchIndex(siteDir, ["/projects/sample/card-1/"]);
    expect(result).toEqual({ shards: 1, pages: 3 });
    const manifest = await readManifest(siteDir);
    expect(manifest.shards[0].bundle).toMatch(/^\/pagefind-1-[0-9a-z]+\/$/);
    // The runtime stays where the search page imports it from.
    expect(await exists(join(siteDir, "pagefind", "pagefind.js"))).toBe(true);
  });

  it("drops a deleted page", async () => {
    const siteDir = await indexedSite();
    await rm(join(siteDir, "projects/sample/card-7"), { recursive: true });
    const result = await updateSearchIndex(siteDir, [fixturePagePath("card-7")]);
    expect(result).toEqual({ shards: 1, pages: 0 });
    const manifest = await readManifest(siteDir);
    expect(manifest.shards[2].pages).toEqual([]);
    const shards = JSON.parse(await readFile(join(siteDir, "pagefind/shards.json"), "utf8"));
    expect(shards.pages).toBe(PAGES.length - 1);
  });

  it("rejects a page in no shard", async () => {
    const siteDir = await indexedSite();
    const before = await readdir(siteDir);
    const update = updateSearchIndex(siteDir, [
      fixturePagePath("card-2"),
      fixturePagePath("card-99"),
    ]);
    await expect(update).rejects.toBeInstanceOf(SearchIndexError);
    await expect(update).rejects.toMatchObject({ code: "PAGE_NOT_IN_INDEX" });
    await expect(update).rejects.toThrow("projects/sample/card-99/index.html");
    expect(await readdir(siteDir)).toEqual(before);
  });

  it("rejects a site without membership", async () => {
    const siteDir = await indexedSite();
    await rm(join(siteDir, MANIFEST_FILE));
    await expect(updateSearchIndex(siteDir, [fixturePagePath("card-1")])).rejects.toMatchObject({
      code: "SEARCH_MANIFEST_MISSING",
    });
  });
});
