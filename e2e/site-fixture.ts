/**
 * The site the browser tests run against: real export files imported into a temporary content
 * folder, built with the project's build into a temporary output folder, and served over HTTP on
 * 127.0.0.1. Building takes a while, so each test file builds once in `beforeAll`.
 */
import { access, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSite } from "../pipeline/build/build.ts";
import { closePagefind } from "../pipeline/build/pagefind.ts";
import { type CardInput, cardPath, writeCardFile } from "../pipeline/card/index.ts";
import { importFiles } from "../pipeline/import/index.ts";
import { type RunningServer, serveStatic } from "./static-server.ts";

export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const REAL_DATA = resolve(REPOSITORY_ROOT, "../shared/data/real");

/** Lists the real exports: Culture 2007-2013 (737 rows), Creative Europe (19 rows), 17 stubs. */
export async function realExportFiles(): Promise<string[]> {
  const stubs = join(REAL_DATA, "eubfr-data-lake", "stubs-as-csv");
  const stubFiles = (await readdir(stubs)).filter((name) => name.endsWith(".csv")).sort();
  return [
    join(
      REAL_DATA,
      "techforuk-my_eu",
      "Culture_2007_2013_Projects_Overview_2018-08-01.converted.csv",
    ),
    join(
      REAL_DATA,
      "eubfr-data-lake",
      "CreativeEurope_Projects_Overview_extract_19rows.converted.csv",
    ),
    ...stubFiles.map((name) => join(stubs, name)),
  ];
}

export interface FixtureSite {
  contentDir: string;
  outDir: string;
  origin: string;
  close(): Promise<void>;
}

type SiteApp = (options: { distDir: string; attachmentsDir: string }) => {
  fetch: (request: Request) => Response | Promise<Response>;
};

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Serves the site with the project's own server (`scripts/site-server.ts`, with its security
 * headers) when it exists, otherwise with the minimal static server of these tests.
 */
async function serve(outDir: string, mediaDir: string): Promise<RunningServer> {
  const modulePath = join(REPOSITORY_ROOT, "scripts/site-server.ts");
  if (!(await exists(modulePath))) return serveStatic(outDir);

  const { createSiteServer } = (await import(modulePath)) as { createSiteServer: SiteApp };
  const app = createSiteServer({ distDir: outDir, attachmentsDir: mediaDir });
  const { serve: listen } = await import("@hono/node-server");
  const server = await new Promise<ReturnType<typeof listen>>((resolvePromise) => {
    const started = listen({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () =>
      resolvePromise(started),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolvePromise, reject) =>
        server.close((error) => (error ? reject(error) : resolvePromise())),
      ),
  };
}

/**
 * Builds a site from `cards` alone, with `pagesPerSearchShard` card pages per search bundle, and
 * serves it. Call `close()` in `afterAll`.
 */
export async function buildCardSite(
  cards: CardInput[],
  pagesPerSearchShard?: number,
): Promise<FixtureSite> {
  const root = await mkdtemp(join(tmpdir(), "e2e-cards-"));
  const contentDir = join(root, "content");
  const outDir = join(root, "site");
  const mediaDir = join(root, "media");
  await mkdir(mediaDir, { recursive: true });
  for (const card of cards) {
    await writeCardFile(cardPath(contentDir, card.programme, card.id), card);
  }
  await buildSite({
    contentDir,
    outDir,
    mediaDir,
    imageCacheDir: join(root, "logo-cache"),
    siteUrl: "http://127.0.0.1",
    pagesPerSearchShard,
  });
  await closePagefind();
  const server = await serve(outDir, mediaDir);
  return {
    contentDir,
    outDir,
    origin: server.origin,
    close: async () => {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * Imports the real data, adds `extraCards`, builds the site and serves it. Call `close()` in
 * `afterAll`.
 */
export async function buildFixtureSite(extraCards: CardInput[] = []): Promise<FixtureSite> {
  const root = await mkdtemp(join(tmpdir(), "e2e-site-"));
  const contentDir = join(root, "content");
  const outDir = join(root, "site");
  const mediaDir = join(root, "media");
  await mkdir(mediaDir, { recursive: true });
  await importFiles(await realExportFiles(), { contentDir });
  for (const card of extraCards) {
    await writeCardFile(cardPath(contentDir, card.programme, card.id), card);
  }

  await buildSite({
    contentDir,
    outDir,
    mediaDir,
    imageCacheDir: join(root, "logo-cache"),
    siteUrl: "http://127.0.0.1",
  });
  // The build leaves Pagefind's indexing process running, and the tests do not need it.
  await closePagefind();
  const server = await serve(outDir, mediaDir);
  return {
    contentDir,
    outDir,
    origin: server.origin,
    close: async () => {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
