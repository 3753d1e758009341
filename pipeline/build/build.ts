/**
 * `buildSite`: content folder in, complete static site out. The site is built in a new folder
 * and swapped in only when every step has finished, so a failed build leaves the previous site as
 * it was. `outDir` becomes a symbolic link to that folder, replaced atomically (see `swap.ts`),
 * or a plain folder with `plainFolder`.
 *
 * Steps: content (index the cards), images (logos), astro (pages), pagefind (search index),
 * open-data (CSV and JSON files, when `pipeline/export` exists), sitemap (sitemaps, robots.txt).
 * After the swap it writes the state that incremental publication starts from (`build-state.ts`,
 * `incremental.ts`).
 * Problems with single cards (an invalid file, a broken logo) are issues in the report, and the
 * build goes on without them. A step that fails as a whole, the open-data export included, fails
 * the build.
 */
import { randomBytes } from "node:crypto";
import { access, copyFile, mkdir, realpath, rename, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cardRelativePath } from "../card/index.ts";
import { runAstroBuild } from "./astro.ts";
import { writeBuildState } from "./build-state.ts";
import { rankByTitle, scanCatalogue, writeIndexFile } from "./catalogue-index.ts";
import {
  claimWorkDir,
  plainStagingDirOf,
  removeLeftovers,
  workDirOf,
  workRootOf,
} from "./leftovers.ts";
import { processLogos } from "./logos.ts";
import { pagesPerShardFromEnv, runPagefind } from "./pagefind.ts";
import { rendererKey } from "./renderer.ts";
import type { BuildIssue, BuildReport, StepTiming } from "./report.ts";
import { writeSitemaps } from "./sitemap.ts";
import {
  buildsDirOf,
  newBuildId,
  PARTIAL_SUFFIX,
  publishBuild,
  removeOldBuilds,
  swapFolder,
} from "./swap.ts";

export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The subset of a pino logger that the build uses. */
export interface BuildLogger {
  info: (object: object, message?: string) => void;
  warn: (object: object, message?: string) => void;
  error: (object: object, message?: string) => void;
}

export interface BuildProgress {
  step: BuildReport["steps"][number]["step"];
  done: number;
  total?: number;
}

export interface BuildOptions {
  contentDir: string;
  outDir: string;
  /** Folder of uploaded logos, each stored under its SHA-256. */
  mediaDir: string;
  /** Folder of encoded logos kept between builds; default `var/cache/logos`. */
  imageCacheDir?: string;
  /**
   * Absolute URL the site is served at, for the sitemap, the feed and JSON-LD. Default SITE_URL,
   * or else `http://HOST:PORT` with the defaults of `npm start` (see `defaultSiteUrl`).
   */
  siteUrl?: string;
  logger?: BuildLogger;
  /** Card pages per Pagefind bundle; default `SEARCH_SHARD_PAGES`, or else `PAGES_PER_SHARD` (2,000). */
  pagesPerSearchShard?: number;
  /**
   * Writes `outDir` as a plain folder, swapped in with two renames that leave it missing for a
   * moment, in place of a symbolic link replaced atomically. For CI and copies; default false.
   */
  plainFolder?: boolean;
  onProgress?: (progress: BuildProgress) => void;
}

/** Error raised when a step fails as a whole; the previous site stays in place. */
export class BuildFailedError extends Error {
  readonly code = "BUILD_FAILED";
  readonly step: string;
  readonly report: BuildReport;
  constructor(step: string, cause: Error, report: BuildReport) {
    super(`site build failed in step ${step}: ${cause.message}`, { cause });
    this.name = "BuildFailedError";
    this.step = step;
    this.report = report;
  }
}

const silentLogger: BuildLogger = { info() {}, warn() {}, error() {} };

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

type ExportOpenData = (
  contentDir: string,
  outDir: string,
  options?: { cardUrl?: (card: { programme: string; id: string }) => string | undefined },
) => Promise<{ skipped?: { file: string; reason: string }[] }>;

/** Host of `npm start` and of the URLs in a build when neither HOST nor SITE_URL is set. */
export const DEFAULT_HOST = "127.0.0.1";
/** Port of `npm start` and of the URLs in a build when neither PORT nor SITE_URL is set. */
export const DEFAULT_PORT = 4321;

/**
 * Returns the address `npm start` serves the site at, `http://HOST:PORT`, from the environment
 * or the defaults. An IPv6 host gets its brackets.
 */
export function defaultSiteUrl(env: Record<string, string | undefined> = process.env): string {
  const host = env.HOST || DEFAULT_HOST;
  const port = env.PORT || String(DEFAULT_PORT);
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** The folders a build writes before it swaps its result in; all beside the output. */
export function buildFolders(outDir: string, suffix: string, plainFolder: boolean, now: Date) {
  const buildsDir = buildsDirOf(outDir);
  const buildDir = join(buildsDir, newBuildId(now, suffix));
  return {
    buildsDir,
    buildDir,
    stagingDir: plainFolder ? plainStagingDirOf(outDir, suffix) : `${buildDir}${PARTIAL_SUFFIX}`,
    workDir: workDirOf(outDir, suffix),
  };
}

/**
 * Loads `exportOpenData` from `pipeline/export/index.ts` or `pipeline/export/open-data.ts`, or
 * returns undefined when neither exists. Loaded at run time because the export is optional.
 */
async function loadOpenDataExport(): Promise<ExportOpenData | undefined> {
  for (const name of ["index.ts", "open-data.ts"]) {
    const modulePath = join(REPOSITORY_ROOT, "pipeline", "export", name);
    if (!(await exists(modulePath))) continue;
    const module = (await import(modulePath)) as { exportOpenData?: ExportOpenData };
    if (module.exportOpenData) return module.exportOpenData;
  }
  return undefined;
}

/**
 * Builds and incremental publications in progress by output folder, so that two of them never
 * change the same folder at once.
 */
const running = new Map<string, Promise<unknown>>();

/**
 * Runs `task` once every earlier task of this process for the output folder `outDir` has
 * finished, and returns its result.
 */
export async function withSiteLock<T>(outDir: string, task: () => Promise<T>): Promise<T> {
  const key = resolve(outDir);
  const previous = running.get(key) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(task);
  running.set(key, current);
  try {
    return await current;
  } finally {
    if (running.get(key) === current) running.delete(key);
  }
}

/**
 * Builds the site from `contentDir` into `outDir`. Returns the report of the build. A call for an
 * `outDir` that is being built in this process waits for that build to finish first.
 */
export function buildSite(options: BuildOptions): Promise<BuildReport> {
  return withSiteLock(options.outDir, () => buildSiteLocked(options));
}

/** Builds the site like `buildSite`, for a caller that holds `withSiteLock` for `outDir`. */
export async function buildSiteLocked(options: BuildOptions): Promise<BuildReport> {
  const logger = options.logger ?? silentLogger;
  const contentDir = resolve(options.contentDir);
  const outDir = resolve(options.outDir);
  const siteUrl = options.siteUrl || process.env.SITE_URL || defaultSiteUrl();
  const progress = options.onProgress ?? (() => {});
  const startedAt = new Date();
  const issues: BuildIssue[] = [];
  const steps: StepTiming[] = [];
  const report: BuildReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: "",
    contentDir,
    outDir,
    cardFiles: 0,
    cards: 0,
    pages: 0,
    indexedPages: 0,
    searchBundles: [],
    logos: 0,
    steps,
    issues,
  };

  const suffix = randomBytes(4).toString("hex");
  const { buildsDir, buildDir, stagingDir, workDir } = buildFolders(
    outDir,
    suffix,
    options.plainFolder === true,
    startedAt,
  );
  const astroBuildsDir = join(REPOSITORY_ROOT, ".astro", "builds");
  const astroWorkDir = join(astroBuildsDir, suffix);
  const leftovers = await removeLeftovers({
    outDir,
    buildsDir,
    astroBuildsDir,
    startedAt: startedAt.getTime(),
  });
  if (leftovers.length > 0) {
    logger.info({ removed: leftovers }, "removed folders left by killed builds");
  }
  // The work folder and the staging folder share the output's file system, because their
  // contents are renamed into place (a rename across file systems fails with EXDEV).
  await mkdir(workRootOf(outDir), { recursive: true });
  await mkdir(workDir);
  await claimWorkDir(workDir);
  await mkdir(astroWorkDir, { recursive: true });
  await claimWorkDir(astroWorkDir);
  await mkdir(options.plainFolder ? dirname(outDir) : buildsDir, { recursive: true });

  async function step<T>(name: string, run: () => Promise<T>, count?: (value: T) => number) {
    const started = performance.now();
    logger.info({ step: name }, "build step started");
    try {
      const value = await run();
      const timing: StepTiming = {
        step: name,
        milliseconds: Math.round(performance.now() - started),
      };
      if (count) timing.count = count(value);
      steps.push(timing);
      logger.info({ ...timing }, "build step finished");
      return value;
    } catch (error) {
      report.finishedAt = new Date().toISOString();
      logger.error({ step: name, err: error }, "build step failed");
      throw new BuildFailedError(name, error as Error, report);
    }
  }

  try {
    // Taken before Astro reads the sources, so a source changed during the build gives another
    // key and the next incremental publication falls back to a full build.
    const sourcesKey = await rendererKey(REPOSITORY_ROOT, siteUrl);
    const pagesPerSearchShard = options.pagesPerSearchShard ?? pagesPerShardFromEnv();
    const scan = await step(
      "content",
      () => scanCatalogue(contentDir, (done) => progress({ step: "content", done })),
      (result) => result.entries.length,
    );
    issues.push(...scan.issues);
    report.cardFiles = scan.fileCount;
    report.cards = scan.entries.length;

    const images = await step(
      "images",
      () =>
        processLogos({
          entries: scan.entries,
          mediaDir: resolve(options.mediaDir),
          cacheDir: resolve(
            options.imageCacheDir ?? join(REPOSITORY_ROOT, "var", "cache", "logos"),
          ),
          siteDir: join(workDir, "media-staging"),
          onLogo: (done, total) => progress({ step: "images", done, total }),
        }),
      (result) => result.logos,
    );
    issues.push(...images.issues);
    report.logos = images.logos;

    const indexFile = join(workDir, "catalogue.jsonl");
    const pageOrder = rankByTitle(scan.entries);
    await writeIndexFile(indexFile, scan.entries);
    scan.entries.length = 0;

    report.pages = await step(
      "astro",
      () =>
        runAstroBuild({
          root: REPOSITORY_ROOT,
          siteDir: stagingDir,
          contentDir,
          indexFile,
          cacheDir: join(workDir, "astro-cache"),
          workDir: astroWorkDir,
          siteUrl,
          onPage: (done) => progress({ step: "astro", done }),
        }),
      (pages) => pages,
    );
    await rename(join(workDir, "media-staging", "media"), join(stagingDir, "media"));

    const search = await step(
      "pagefind",
      async () => {
        progress({ step: "pagefind", done: 0 });
        return runPagefind(
          stagingDir,
          pagesPerSearchShard,
          (done, total) => progress({ step: "pagefind", done, total }),
          pageOrder,
        );
      },
      (result) => result.pages,
    );
    report.indexedPages = search.pages;
    report.searchBundles = search.bundles;

    const exportOpenData = await loadOpenDataExport();
    if (exportOpenData) {
      // Pages link to the open-data files, so an export that fails as a whole fails the build
      // and the previous site stays. Single invalid cards are left out and reported.
      const exported = await step("open-data", async () => {
        const openDataDir = join(stagingDir, "open-data");
        await mkdir(openDataDir, { recursive: true });
        const cardUrl = (card: { programme: string; id: string }) =>
          new URL(`/${cardRelativePath(card.programme, card.id).replace(/\.md$/, "")}/`, siteUrl)
            .href;
        return exportOpenData(contentDir, openDataDir, { cardUrl });
      });
      for (const skipped of exported.skipped ?? []) {
        issues.push({
          code: "OPEN_DATA_CARD_SKIPPED",
          step: "open-data",
          file: skipped.file,
          message: `${skipped.reason}. The card is left out of the open-data files; fix or remove the file.`,
        });
      }
    } else {
      issues.push({
        code: "OPEN_DATA_UNAVAILABLE",
        step: "open-data",
        message: "pipeline/export has no exportOpenData, so the open-data files were not written",
      });
    }

    await step(
      "sitemap",
      () => writeSitemaps(stagingDir, siteUrl),
      (pages) => pages,
    );

    await step("swap", async () => {
      if (options.plainFolder) {
        await swapFolder(outDir, stagingDir, suffix);
        return;
      }
      await rename(stagingDir, buildDir);
      const previous = await publishBuild(outDir, buildDir);
      const keep = previous ? [buildDir, previous] : [buildDir];
      const removed = await removeOldBuilds(buildsDir, keep);
      logger.info({ build: buildDir, previous, removed: removed.length }, "site build published");
    });
    await writeBuildState(
      outDir,
      {
        rendererKey: sourcesKey,
        siteUrl,
        contentDir,
        siteDir: await realpath(outDir),
        pagesPerSearchShard,
        builtAt: startedAt.toISOString(),
        publishedCards: {},
      },
      (path) => copyFile(indexFile, path),
      new Date(),
    );
    report.finishedAt = new Date().toISOString();
    for (const issue of issues) logger.warn({ ...issue }, "build issue");
    return report;
  } finally {
    await rm(stagingDir, { recursive: true, force: true });
    await rm(workDir, { recursive: true, force: true });
    await rm(astroWorkDir, { recursive: true, force: true });
  }
}
