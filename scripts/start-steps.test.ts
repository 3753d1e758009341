import { mkdtemp, readdir, rm, stat, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardPath, listCardFiles, writeCardFile } from "../pipeline/card/index.ts";
import { ensureCatalogue, prepareSite, rebuildSite, SAMPLE_CARD_COUNT } from "./start-steps.ts";

const logs: { level: string; message?: string }[] = [];
const logger = {
  info: (_object: object, message?: string) => logs.push({ level: "info", message }),
  warn: (_object: object, message?: string) => logs.push({ level: "warn", message }),
  error: (_object: object, message?: string) => logs.push({ level: "error", message }),
};

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "start-steps-test-"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function countCards(contentDir: string): Promise<number> {
  let count = 0;
  for await (const _file of listCardFiles(contentDir)) count += 1;
  return count;
}

describe("ensureCatalogue", () => {
  it("generates the sample into an empty folder", async () => {
    const contentDir = join(root, "empty-content");
    await ensureCatalogue(contentDir, logger);
    expect(await countCards(contentDir)).toBe(SAMPLE_CARD_COUNT);
  }, 120_000);

  it("leaves existing cards alone", async () => {
    const contentDir = join(root, "own-content");
    await writeCardFile(cardPath(contentDir, "Erasmus+", "2020-1-DE01-KA201-000001"), {
      id: "2020-1-DE01-KA201-000001",
      programme: "Erasmus+",
      title: "Own card",
      agency: "DE01",
    });
    await ensureCatalogue(contentDir, logger);
    expect(await countCards(contentDir)).toBe(1);
  });
});

describe("prepareSite", () => {
  const contentDir = () => join(root, "site-content");
  const distDir = () => join(root, "site-dist");
  const card = () => cardPath(contentDir(), "Erasmus+", "2021-1-FR01-KA220-000002");

  it("builds, skips, then keeps the site on failure", async () => {
    await writeCardFile(card(), {
      id: "2021-1-FR01-KA220-000002",
      programme: "Erasmus+",
      title: "Start card",
      agency: "FR01",
    });
    const options = {
      contentDir: contentDir(),
      distDir: distDir(),
      mediaDir: join(root, "media"),
      logger,
    };

    await prepareSite(options);
    const builtAt = (await stat(join(distDir(), "sitemap.xml"))).mtimeMs;
    expect(await readdir(join(distDir(), "projects", "erasmus-plus"))).toEqual([
      "2021-1-fr01-ka220-000002",
    ]);

    await prepareSite(options);
    expect((await stat(join(distDir(), "sitemap.xml"))).mtimeMs).toBe(builtAt);

    // A card newer than the build triggers a rebuild; an invalid site URL makes it fail.
    const later = new Date(builtAt + 60_000);
    await utimes(card(), later, later);
    const previousUrl = process.env.SITE_URL;
    process.env.SITE_URL = "not a url";
    try {
      await prepareSite(options);
    } finally {
      if (previousUrl === undefined) delete process.env.SITE_URL;
      else process.env.SITE_URL = previousUrl;
    }
    expect((await stat(join(distDir(), "sitemap.xml"))).mtimeMs).toBe(builtAt);
    expect(
      logs.some((entry) => entry.message === "rebuild failed, serving the previous build"),
    ).toBe(true);
  }, 180_000);

  // Reuses the site the test above built, because each build takes seconds.
  it("rebuilds for the queue and rejects failures", async () => {
    const options = {
      contentDir: contentDir(),
      distDir: distDir(),
      mediaDir: join(root, "media"),
      logger,
    };
    const before = (await stat(join(distDir(), "sitemap.xml"))).mtimeMs;
    await rebuildSite(options);
    expect((await stat(join(distDir(), "sitemap.xml"))).mtimeMs).toBeGreaterThan(before);

    const previousUrl = process.env.SITE_URL;
    process.env.SITE_URL = "not a url";
    try {
      await expect(rebuildSite(options)).rejects.toMatchObject({ code: "BUILD_FAILED" });
    } finally {
      if (previousUrl === undefined) delete process.env.SITE_URL;
      else process.env.SITE_URL = previousUrl;
    }
  }, 180_000);
});
