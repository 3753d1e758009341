/** Steps of `npm start` that need the file system: sample content and the freshness check. */
import { spawn } from "node:child_process";
import { access, stat } from "node:fs/promises";
import { join } from "node:path";
import { type BuildLogger, buildSite, REPOSITORY_ROOT } from "../pipeline/build/build.ts";
import { closePagefind } from "../pipeline/build/pagefind.ts";
import { listCardFiles } from "../pipeline/card/index.ts";

/** Cards generated for a fresh clone. */
export const SAMPLE_CARD_COUNT = 500;
const SAMPLE_SEED = "eu-project-results";

type StartLogger = BuildLogger;

type GenerateSample = (options: {
  contentDir: string;
  count: number;
  seed: string;
}) => Promise<unknown>;

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function hasCards(contentDir: string): Promise<boolean> {
  for await (const _file of listCardFiles(contentDir)) return true;
  return false;
}

function runSampleCli(cli: string, contentDir: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const args = [cli, "--count", String(SAMPLE_CARD_COUNT), "--content", contentDir];
    const child = spawn(process.execPath, args, {
      cwd: REPOSITORY_ROOT,
      stdio: "inherit",
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`${cli} exited with code ${code}`)),
    );
  });
}

/**
 * Generates the sample catalogue when `contentDir` contains no card, through `generateSample` of
 * `pipeline/sample/index.ts`, or else its command line `pipeline/sample/cli.ts`.
 */
export async function ensureCatalogue(contentDir: string, logger: StartLogger): Promise<void> {
  if (await hasCards(contentDir)) return;
  const sampleModule = join(REPOSITORY_ROOT, "pipeline", "sample", "index.ts");
  const sampleCli = join(REPOSITORY_ROOT, "pipeline", "sample", "cli.ts");
  logger.info(
    { contentDir, count: SAMPLE_CARD_COUNT },
    "no cards found, generating the sample catalogue",
  );
  if (await exists(sampleModule)) {
    const { generateSample } = (await import(sampleModule)) as { generateSample?: GenerateSample };
    if (generateSample) {
      await generateSample({ contentDir, count: SAMPLE_CARD_COUNT, seed: SAMPLE_SEED });
      return;
    }
  }
  if (await exists(sampleCli)) {
    await runSampleCli(sampleCli, contentDir);
    return;
  }
  throw new Error(
    `no project cards in ${contentDir} and no sample generator (pipeline/sample/index.ts with generateSample, or pipeline/sample/cli.ts); import real exports with npm run import, or set CONTENT_DIR to a folder of cards`,
  );
}

/** Returns the latest modification time (ms) of the given card files, 0 when there are none. */
export async function newestCardTime(files: AsyncIterable<string>): Promise<number> {
  let newest = 0;
  for await (const file of files) {
    const { mtimeMs } = await stat(file);
    if (mtimeMs > newest) newest = mtimeMs;
  }
  return newest;
}

export interface PrepareOptions {
  contentDir: string;
  distDir: string;
  mediaDir: string;
  logger: StartLogger;
  /** Folder of encoded logos kept between builds; the build's `var/cache/logos` by default. */
  imageCacheDir?: string;
  /** Absolute URL of the site; the build's SITE_URL default otherwise. */
  siteUrl?: string;
}

/**
 * Builds the site when `distDir` has no complete build or a card changed since the last one. A
 * failed rebuild is logged and the previous site stays in service; without any site it throws.
 */
export async function prepareSite(options: PrepareOptions): Promise<void> {
  const { contentDir, distDir, mediaDir, logger } = options;
  let builtAt = 0;
  try {
    // The sitemap is written last before the swap, so its time is the time of the build.
    builtAt = (await stat(join(distDir, "sitemap.xml"))).mtimeMs;
  } catch {
    // No complete build yet.
  }
  const newest = await newestCardTime(listCardFiles(contentDir));
  if (builtAt !== 0 && newest <= builtAt) return;

  logger.info(
    { contentDir, distDir },
    builtAt === 0 ? "building the site" : "content changed, rebuilding",
  );
  try {
    const report = await buildSite({ contentDir, outDir: distDir, mediaDir, logger });
    logger.info(
      { cards: report.cards, pages: report.pages, issues: report.issues.length },
      "site built",
    );
  } catch (error) {
    if (builtAt === 0) throw error;
    logger.error({ err: error }, "rebuild failed, serving the previous build");
  } finally {
    await closePagefind();
  }
}

/**
 * Rebuilds the site for the editor API's rebuild queue: always builds, because an unpublished
 * card changes no file time, and rejects when the build failed so the queue can retry and notify.
 * The previous site stays in service either way until a build succeeds.
 */
export async function rebuildSite(options: PrepareOptions): Promise<void> {
  const { contentDir, distDir, mediaDir, logger, imageCacheDir, siteUrl } = options;
  const report = await buildSite({
    contentDir,
    outDir: distDir,
    mediaDir,
    logger,
    imageCacheDir,
    siteUrl,
  });
  logger.info(
    { cards: report.cards, pages: report.pages, issues: report.issues.length },
    "site rebuilt",
  );
}
