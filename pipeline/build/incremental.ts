/**
 * Incremental publication: after an officer publishes some cards, renders only the pages those
 * cards change (each card page, the listing pages they are on, the home page, the programme list
 * and the feed), writes them into the served folder one file at a time by rename, and updates the
 * search index shards that contain the card pages. A full `buildSite` stays the reference: it runs
 * whenever the change cannot be made this way, and as the nightly build.
 *
 * Falls back to a full build, and gives the reason in the report, when:
 * - no card ids are given,
 * - there is no state of the served site (`build-state.ts`), or it describes another folder,
 *   content folder, site URL or version of the site sources,
 * - a card is new, removed or invalid, or changed its title or page path, because its title rank
 *   and the sitemap would change,
 * - the renderer bundle cannot be built,
 * - the search index has no shard that contains a card page,
 * - or a step fails, such as a page that does not render or cannot be written.
 *
 * Left to the full build: the open-data files, which list every card (`pipeline/export`).
 */
import { mkdir, readdir, realpath, rename, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { readCardFile, writeFileAtomic } from "../card/index.ts";
import {
  type BuildLogger,
  type BuildOptions,
  buildSiteLocked,
  defaultSiteUrl,
  REPOSITORY_ROOT,
  withSiteLock,
} from "./build.ts";
import {
  type BuildState,
  byUrl,
  claimBuildState,
  readStateCatalogue,
  writeBuildState,
} from "./build-state.ts";
import { type IndexEntry, toIndexEntry, writeIndexFile } from "./catalogue-index.ts";
import { workRootOf } from "./leftovers.ts";
import { listingChanges } from "./listings.ts";
import { processLogos } from "./logos.ts";
import { updateSearchIndex } from "./pagefind.ts";
import { ensureRendererBundle, rendererKey, renderPages } from "./renderer.ts";
import type { BuildIssue, BuildReport } from "./report.ts";
import { writeSitemaps } from "./sitemap.ts";

export interface PublishOptions extends BuildOptions {
  /** Identifiers of the cards that changed, such as `["550067-CREA-1-2017-1-HR-CULT-COOP1"]`. */
  cardIds: readonly string[];
}

/** Why a publication was a full build. */
export type FallbackReason =
  | "NO_CARD_IDS"
  | "NO_BUILD_STATE"
  | "STATE_MISMATCH"
  | "SOURCES_CHANGED"
  | "CARD_NEW"
  | "CARD_UNREADABLE"
  | "CARD_MOVED"
  | "TITLE_CHANGED"
  | "RENDERER_UNAVAILABLE"
  | "PAGE_NOT_IN_INDEX"
  | "INCREMENTAL_FAILED";

export interface StepTime {
  step: string;
  milliseconds: number;
}

export type PublishReport =
  | {
      mode: "incremental";
      /** Page paths of the published cards. */
      cards: string[];
      /** Site paths of the pages written, such as `/` and `/feed.xml`. */
      pages: string[];
      /** Site paths of listing pages removed because their listing got shorter. */
      removedPages: string[];
      /** Search index shards written again. */
      searchShards: number;
      issues: BuildIssue[];
      steps: StepTime[];
    }
  | {
      mode: "full";
      reason: FallbackReason;
      /** What made the fallback necessary, such as the card id or the error message. */
      detail: string;
      report: BuildReport;
    };

/** A reason to leave the publication to a full build. */
class Fallback extends Error {
  readonly reason: FallbackReason;
  constructor(reason: FallbackReason, detail: string) {
    super(detail);
    this.reason = reason;
  }
}

const silentLogger: BuildLogger = { info() {}, warn() {}, error() {} };

/**
 * Publishes the cards `cardIds` of `contentDir` into the site at `outDir`, incrementally when it
 * can and with a full build otherwise, also when the incremental publication fails halfway.
 * Waits for any build or publication of the same `outDir` in this process first. Rejects when
 * the full build fails. The served site then stays as it was, apart from pages an interrupted
 * incremental publication had already replaced.
 */
export function publishCards(options: PublishOptions): Promise<PublishReport> {
  return withSiteLock(options.outDir, async () => {
    const logger = options.logger ?? silentLogger;
    let fallback: Fallback;
    try {
      return await publishIncrementally(options, logger);
    } catch (error) {
      if (error instanceof Fallback) {
        fallback = error;
      } else {
        logger.error(
          { err: error, cardIds: options.cardIds },
          "incremental publication failed, running a full build",
        );
        fallback = new Fallback("INCREMENTAL_FAILED", (error as Error).message);
      }
    }
    logger.info(
      { reason: fallback.reason, detail: fallback.message, cards: options.cardIds.length },
      "publishing with a full build",
    );
    const report = await buildSiteLocked(options);
    return { mode: "full", reason: fallback.reason, detail: fallback.message, report };
  });
}

/**
 * Builds the renderer bundle of the current site sources unless it exists, so that the first
 * publication does not wait for it. Returns the bundle folder.
 */
export async function prepareRenderer(siteUrl?: string): Promise<string> {
  const url = siteUrl || process.env.SITE_URL || defaultSiteUrl();
  if (!URL.canParse(url)) {
    throw new TypeError(`site URL is invalid: "${url}". Set SITE_URL to an absolute URL.`);
  }
  return ensureRendererBundle(REPOSITORY_ROOT, await rendererKey(REPOSITORY_ROOT, url), url);
}

/**
 * Takes the state of the served site (`claimBuildState`) and checks that pages rendered now
 * would match it. From here on the state is gone until this publication or a full build writes a
 * new one, so a failure at any later step leaves the next publication a full build.
 */
async function usableState(
  outDir: string,
  contentDir: string,
  siteUrl: string,
): Promise<BuildState> {
  const state = await claimBuildState(outDir);
  if (!state) throw new Fallback("NO_BUILD_STATE", `no state of a full build beside ${outDir}`);
  let siteDir: string;
  try {
    siteDir = await realpath(outDir);
  } catch {
    throw new Fallback("NO_BUILD_STATE", `no site at ${outDir}`);
  }
  if (state.siteDir !== siteDir || state.contentDir !== contentDir || state.siteUrl !== siteUrl) {
    throw new Fallback(
      "STATE_MISMATCH",
      `the state describes ${state.siteDir} from ${state.contentDir} at ${state.siteUrl}`,
    );
  }
  return state;
}

/** Raises a `Fallback` when the site sources differ from those the served pages came from. */
async function checkSources(state: BuildState, siteUrl: string): Promise<void> {
  if (state.rendererKey !== (await rendererKey(REPOSITORY_ROOT, siteUrl))) {
    throw new Fallback("SOURCES_CHANGED", "the site sources changed since the last full build");
  }
}

/**
 * Reads the cards `cardIds` again and returns their new index entries, each with the title rank
 * and logo of its old entry. Raises a `Fallback` for a change that alters other pages' order.
 */
async function changedEntries(
  before: IndexEntry[],
  cardIds: readonly string[],
): Promise<{ old: IndexEntry; current: IndexEntry; modifiedAt: number }[]> {
  const byId = new Map<string, IndexEntry[]>();
  for (const entry of before) {
    const same = byId.get(entry.id) ?? [];
    same.push(entry);
    byId.set(entry.id, same);
  }
  const changes: { old: IndexEntry; current: IndexEntry; modifiedAt: number }[] = [];
  for (const id of new Set(cardIds)) {
    const olds = byId.get(id);
    if (!olds) throw new Fallback("CARD_NEW", `card ${id} is not on the served site`);
    for (const old of olds) {
      let current: IndexEntry;
      let modifiedAt: number;
      try {
        // Taken before the read, so a write during the read counts as a later change.
        modifiedAt = (await stat(old.file)).mtimeMs;
        current = toIndexEntry(await readCardFile(old.file), old.file);
      } catch (error) {
        throw new Fallback("CARD_UNREADABLE", `card ${id}: ${(error as Error).message}`);
      }
      if (current.url !== old.url) {
        throw new Fallback("CARD_MOVED", `card ${id} moved from ${old.url} to ${current.url}`);
      }
      if (current.title !== old.title) {
        throw new Fallback("TITLE_CHANGED", `card ${id} has a new title`);
      }
      current.titleRank = old.titleRank;
      if (current.logoSha256 === old.logoSha256) current.logo = old.logo;
      changes.push({ old, current, modifiedAt });
    }
  }
  return changes;
}

/** File of the site path `url` in the site folder: `index.html` for a path ending in `/`. */
function pageFile(siteDir: string, url: string): string {
  const path = url.endsWith("/") ? `${url}index.html` : url;
  return join(siteDir, ...path.split("/").filter((part) => part !== ""));
}

/**
 * Encodes the new logos of `entries` and moves their files into the served `media/logos/`
 * folder. Logo files are named by content hash, so no page links a file before it is complete.
 */
async function publishLogos(
  entries: IndexEntry[],
  siteDir: string,
  options: PublishOptions,
): Promise<BuildIssue[]> {
  if (entries.length === 0) return [];
  const stagingDir = join(workRootOf(resolve(options.outDir)), `incremental-${process.pid}`);
  await rm(stagingDir, { recursive: true, force: true });
  try {
    const result = await processLogos({
      entries,
      mediaDir: resolve(options.mediaDir),
      cacheDir: resolve(options.imageCacheDir ?? join(REPOSITORY_ROOT, "var", "cache", "logos")),
      siteDir: stagingDir,
    });
    const staged = join(stagingDir, "media", "logos");
    const target = join(siteDir, "media", "logos");
    await mkdir(target, { recursive: true });
    for (const name of await readdir(staged)) await rename(join(staged, name), join(target, name));
    return result.issues;
  } finally {
    await rm(stagingDir, { recursive: true, force: true });
  }
}

/**
 * Re-indexes the search shards that contain the changed card pages (`updateSearchIndex`).
 * Returns the shards written, and raises a `Fallback` when a page is in no shard.
 */
async function updateSearch(siteDir: string, cardPages: string[]): Promise<number> {
  try {
    return (await updateSearchIndex(siteDir, cardPages)).shards;
  } catch (error) {
    if ((error as { code?: string }).code === "PAGE_NOT_IN_INDEX") {
      throw new Fallback("PAGE_NOT_IN_INDEX", (error as Error).message);
    }
    throw error;
  }
}

async function publishIncrementally(
  options: PublishOptions,
  logger: BuildLogger,
): Promise<PublishReport> {
  if (options.cardIds.length === 0) throw new Fallback("NO_CARD_IDS", "the job names no card");
  const contentDir = resolve(options.contentDir);
  const outDir = resolve(options.outDir);
  const siteUrl = options.siteUrl || process.env.SITE_URL || defaultSiteUrl();
  const steps: StepTime[] = [];
  async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const value = await run();
    steps.push({ step: name, milliseconds: Math.round(performance.now() - started) });
    return value;
  }

  const state = await step("state", () => usableState(outDir, contentDir, siteUrl));
  const siteDir = state.siteDir;
  const before = await step("catalogue", () => readStateCatalogue(outDir, state));
  const changes = await step("cards", () => changedEntries(before, options.cardIds));
  await step("sources", () => checkSources(state, siteUrl));
  const bundle = await step("renderer", async () => {
    try {
      return await ensureRendererBundle(REPOSITORY_ROOT, state.rendererKey, siteUrl);
    } catch (error) {
      logger.error({ err: error }, "the page renderer could not be built");
      throw new Fallback("RENDERER_UNAVAILABLE", (error as Error).message);
    }
  });

  const changedUrls = new Set(changes.map((change) => change.current.url));
  const replacement = new Map(changes.map((change) => [change.current.url, change.current]));
  const after = before.map((entry) => replacement.get(entry.url) ?? entry).sort(byUrl);
  const listings = listingChanges(before, after, changedUrls);
  const urls = [...changedUrls, ...listings.changed, "/", "/programmes/", "/feed.xml"];

  const newLogos = changes
    .filter((change) => change.current.logoSha256 !== change.old.logoSha256)
    .map((change) => change.current);
  const issues = await step("images", () => publishLogos(newLogos, siteDir, options));
  const pages = await step("render", () => renderPages(bundle, urls, after));
  await step("write", async () => {
    for (const page of pages) await writeFileAtomic(pageFile(siteDir, page.url), page.body);
    for (const url of listings.removed) await rm(pageFile(siteDir, url), { force: true });
    // The sitemaps list every page, so they follow when a listing loses pages.
    if (listings.removed.length > 0) await writeSitemaps(siteDir, siteUrl);
  });
  const cardPages = [...changedUrls].map((url) => `${url.slice(1)}index.html`);
  const searchShards = await step("pagefind", () => updateSearch(siteDir, cardPages));
  await step("state-write", () =>
    writeBuildState(
      outDir,
      {
        rendererKey: state.rendererKey,
        siteUrl,
        contentDir,
        siteDir,
        pagesPerSearchShard: state.pagesPerSearchShard,
        builtAt: state.builtAt,
        publishedCards: {
          ...state.publishedCards,
          ...Object.fromEntries(changes.map((change) => [change.old.file, change.modifiedAt])),
        },
      },
      (path) => writeIndexFile(path, after),
      new Date(),
    ),
  );
  for (const issue of issues) logger.warn({ ...issue }, "publication issue");
  logger.info(
    { cards: changedUrls.size, pages: pages.length, searchShards, steps },
    "cards published incrementally",
  );
  return {
    mode: "incremental",
    cards: [...changedUrls],
    pages: pages.map((page) => page.url),
    removedPages: listings.removed,
    searchShards,
    issues,
    steps,
  };
}
