import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeSitemaps } from "./sitemap.ts";

let site: string;

beforeEach(async () => {
  site = await mkdtemp(join(tmpdir(), "sitemap-test-"));
  for (const folder of ["", "help", "projects/a/one", "projects/a/two", "_astro", "pagefind"]) {
    await mkdir(join(site, folder), { recursive: true });
    await writeFile(join(site, folder, "index.html"), "<!doctype html>");
  }
  await writeFile(join(site, "404.html"), "<!doctype html>");
});

afterEach(async () => {
  await rm(site, { recursive: true, force: true });
});

describe("writeSitemaps", () => {
  it("splits pages into parts", async () => {
    const pages = await writeSitemaps(site, "https://example.eu", 2);
    expect(pages).toBe(4);
    const parts = (await readdir(site)).filter((name) => /^sitemap-\d+\.xml$/.test(name)).sort();
    expect(parts).toEqual(["sitemap-1.xml", "sitemap-2.xml"]);
    const index = await readFile(join(site, "sitemap.xml"), "utf8");
    expect(index).toContain("<loc>https://example.eu/sitemap-2.xml</loc>");
    const second = await readFile(join(site, "sitemap-2.xml"), "utf8");
    expect(second).toContain("<loc>https://example.eu/projects/a/two/</loc>");
  });

  it("leaves out assets and the 404 page", async () => {
    await writeSitemaps(site, "https://example.eu");
    const part = await readFile(join(site, "sitemap-1.xml"), "utf8");
    expect(part).not.toContain("_astro");
    expect(part).not.toContain("pagefind");
    expect(part).not.toContain("404");
    expect(part).toContain("<loc>https://example.eu/</loc>");
  });

  it("writes robots.txt with the sitemap", async () => {
    await writeSitemaps(site, "https://example.eu");
    const robots = await readFile(join(site, "robots.txt"), "utf8");
    expect(robots).toContain("Sitemap: https://example.eu/sitemap.xml");
  });
});
