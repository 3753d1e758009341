/**
 * The site server during rebuilds: the build replaces the `dist` link atomically, and the server
 * resolves it per request, so readers never see an error while builds swap the site.
 */
import { lstat, mkdtemp, readdir, readlink, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BuildFailedError, buildSite } from "../pipeline/build/build.ts";
import { closePagefind } from "../pipeline/build/pagefind.ts";
import { buildsDirOf } from "../pipeline/build/swap.ts";
import { type CardInput, cardPath, writeCardFile } from "../pipeline/card/index.ts";
import { createSiteServer } from "./site-server.ts";

/** Upper bound of reader requests, so the reader loop stays bounded however long builds take. */
const MAX_READS = 50_000;
const BUILDS = 3;

const CARD: CardInput = {
  id: "2021-1-BE01-KA220-000001",
  programme: "Erasmus+",
  title: "Swap test card",
  callYear: 2021,
  agency: "BE01",
};
const CARD_URL = "/projects/erasmus-plus/2021-1-be01-ka220-000001/";

let root: string;
let contentDir: string;
let outDir: string;
let server: ServerType;
let base: string;

function build(options: { siteUrl?: string } = {}) {
  return buildSite({
    contentDir,
    outDir,
    mediaDir: join(root, "media"),
    imageCacheDir: join(root, "image-cache"),
    ...options,
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "site-swap-test-"));
  contentDir = join(root, "content");
  outDir = join(root, "dist");
  await writeCardFile(cardPath(contentDir, CARD.programme, CARD.id), CARD);
  await build();
  const app = createSiteServer({ distDir: outDir, attachmentsDir: join(root, "attachments") });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
}, 120_000);

afterAll(async () => {
  await closePagefind();
  await new Promise((resolve) => server?.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe("site swap", () => {
  it("publishes the build as a link", async () => {
    expect((await lstat(outDir)).isSymbolicLink()).toBe(true);
    expect(await readlink(outDir)).toMatch(/^\.build\/dist-builds\/\d{8}T\d{6}Z-[0-9a-f]{8}$/);
  });

  it("serves every read during rebuilds", async () => {
    const failures: string[] = [];
    let reads = 0;
    let building = true;
    const reader = (async () => {
      while (building && reads < MAX_READS) {
        for (const path of ["/", CARD_URL, "/pagefind/pagefind-entry.json"]) {
          const response = await fetch(`${base}${path}`);
          await response.arrayBuffer();
          reads += 1;
          if (response.status !== 200) failures.push(`${path}: ${response.status}`);
        }
      }
    })();

    try {
      for (let round = 1; round <= BUILDS; round += 1) {
        await writeCardFile(cardPath(contentDir, CARD.programme, CARD.id), {
          ...CARD,
          title: `Swap test card, round ${round}`,
        });
        await build();
      }
    } finally {
      building = false;
      await reader;
    }

    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    const page = await (await fetch(`${base}${CARD_URL}`)).text();
    expect(page).toContain(`Swap test card, round ${BUILDS}`);
    // The current build and the one before it stay; older ones are removed.
    expect(await readdir(buildsDirOf(outDir))).toHaveLength(2);
  }, 300_000);

  it("keeps serving after a failed build", async () => {
    const target = await readlink(outDir);
    const before = await (await fetch(`${base}${CARD_URL}`)).text();

    const failed = build({ siteUrl: "not a url" });
    await expect(failed).rejects.toBeInstanceOf(BuildFailedError);

    expect(await readlink(outDir)).toBe(target);
    const response = await fetch(`${base}${CARD_URL}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(before);
    const partial = (await readdir(buildsDirOf(outDir))).filter((name) =>
      name.endsWith(".partial"),
    );
    expect(partial).toEqual([]);
  }, 120_000);

  it("writes a plain folder on request", async () => {
    const plainDir = join(root, "plain");
    await buildSite({
      contentDir,
      outDir: plainDir,
      mediaDir: join(root, "media"),
      imageCacheDir: join(root, "image-cache"),
      plainFolder: true,
    });
    const stats = await lstat(plainDir);
    expect(stats.isSymbolicLink()).toBe(false);
    expect(stats.isDirectory()).toBe(true);
    expect((await lstat(join(plainDir, "index.html"))).isFile()).toBe(true);
  }, 120_000);
});
