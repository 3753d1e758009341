/**
 * Steps of `npm start` that need the file system: the sample catalogue with its contacts, and the
 * freshness check of the site.
 */
import { realpath, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Database } from "../editor-api/db/database.ts";
import { isPostgresUrl, openDatabase, redactLocation } from "../editor-api/db/open.ts";
import { type BuildLogger, buildSite, REPOSITORY_ROOT } from "../pipeline/build/build.ts";
import { cardsChangedSince, readBuildState } from "../pipeline/build/build-state.ts";
import {
  type PublishReport,
  prepareRenderer,
  publishCards,
} from "../pipeline/build/incremental.ts";
import { closePagefind } from "../pipeline/build/pagefind.ts";
import { listCardFiles } from "../pipeline/card/index.ts";
import { importContacts } from "../pipeline/contacts/import.ts";
import {
  deadlineState,
  type SampleContact,
  writeSampleContacts,
} from "../pipeline/sample/contacts.ts";
import { writeSampleCards } from "../pipeline/sample/write.ts";

/** Cards generated for a fresh clone. */
export const SAMPLE_CARD_COUNT = 500;
export const SAMPLE_SEED = "eu-project-results";

type StartLogger = BuildLogger;

/** A reason for `npm start` to stop before serving, with the exit code of the process. */
export class StartError extends Error {
  readonly code: "CONTENT_DIR_EMPTY";
  readonly exitCode = 2;

  constructor(code: "CONTENT_DIR_EMPTY", message: string) {
    super(message);
    this.name = "StartError";
    this.code = code;
  }
}

export interface CatalogueOptions {
  /** Folder that may be filled with the sample catalogue: `content/` of the repository. */
  defaultContentDir?: string;
  /** Editor database for the sample contacts: DATABASE_URL, else DATABASE_PATH, else var/editor.db. */
  databasePath?: string;
  /** File for the sample contacts feed: `var/sample-contacts.csv` of the repository. */
  contactsFile?: string;
  /** Clock that picks the sample project to suggest, the system clock by default. */
  now?: () => Date;
}

async function hasCards(contentDir: string): Promise<boolean> {
  for await (const _file of listCardFiles(contentDir)) return true;
  return false;
}

/** Returns the number of stored contacts (the migrations create the table empty). */
function storedContactCount(db: Database): number {
  const row = db.prepare("SELECT count(*) AS count FROM project_contacts").get() as {
    count: number;
  };
  return Number(row.count);
}

/** Picks the contact to suggest: the first project still running today, else one open today. */
function suggestedContact(contacts: SampleContact[], today: string): SampleContact | undefined {
  return (
    contacts.find((contact) => deadlineState(contact.endDate, today) === "ongoing") ??
    contacts.find((contact) => deadlineState(contact.endDate, today) === "submittable")
  );
}

/**
 * Fills an empty `content/` with the sample catalogue, writes its contacts feed and imports it
 * into the editor database when that has no contacts yet. Folders that already contain cards are
 * left alone. Any other folder without cards (CONTENT_DIR set to a mistyped or empty path) raises
 * a `StartError`, so that a typo never replaces a real catalogue with sample data.
 */
export async function ensureCatalogue(
  contentDir: string,
  logger: StartLogger,
  options: CatalogueOptions = {},
): Promise<void> {
  if (await hasCards(contentDir)) return;
  const defaultContentDir = options.defaultContentDir ?? join(REPOSITORY_ROOT, "content");
  if (resolve(contentDir) !== resolve(defaultContentDir)) {
    throw new StartError(
      "CONTENT_DIR_EMPTY",
      `CONTENT_DIR ${contentDir} does not exist (or has no cards): import exports into it first (npm run import -- --content DIR FILE...) or unset CONTENT_DIR to use the sample catalogue`,
    );
  }

  logger.info(
    { contentDir, count: SAMPLE_CARD_COUNT },
    "no cards found, generating the sample catalogue",
  );
  await writeSampleCards(contentDir, SAMPLE_CARD_COUNT, SAMPLE_SEED);

  const contactsFile = options.contactsFile ?? join(REPOSITORY_ROOT, "var", "sample-contacts.csv");
  const contacts = await writeSampleContacts(contactsFile, SAMPLE_CARD_COUNT, SAMPLE_SEED);
  const location =
    options.databasePath ??
    process.env.DATABASE_URL ??
    process.env.DATABASE_PATH ??
    "var/editor.db";
  const databasePath = redactLocation(isPostgresUrl(location) ? location : resolve(location));
  const db = openDatabase(isPostgresUrl(location) ? location : resolve(location));
  try {
    const stored = storedContactCount(db);
    if (stored > 0) {
      logger.warn(
        { databasePath, contactsFile, stored },
        "the editor database already has contacts, so the sample contacts were not imported",
      );
      return;
    }
    const report = await importContacts(contactsFile, db);
    logger.info(
      { databasePath, contactsFile, imported: report.imported },
      "sample contacts imported",
    );
  } finally {
    db.close();
  }

  const today = (options.now ?? (() => new Date()))().toISOString().slice(0, 10);
  const contact = suggestedContact(contacts, today);
  if (contact !== undefined) {
    logger.info(
      { email: contact.email, project: contact.projectId },
      `register as ${contact.email} to edit the sample project ${contact.projectId}`,
    );
  }
}

/**
 * Prints the message of a `StartError` as one line and exits with its code. Anything else is
 * rethrown. Used as `ensureCatalogue(...).catch(exitOnStartError)` in scripts/start.ts.
 */
export function exitOnStartError(error: unknown): never {
  if (!(error instanceof StartError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(error.exitCode);
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
 * Builds the site when `distDir` has no complete build or a card changed since the last one, then
 * the page renderer of incremental publication when the site sources changed. A failed rebuild is
 * logged and the previous site stays in service; without any site it throws.
 */
export async function prepareSite(options: PrepareOptions): Promise<void> {
  await buildStaleSite(options);
  await prepareIncrementalRenderer(options.logger, options.siteUrl);
}

/**
 * Tells whether a card changed after the site at `distDir` last rendered it. With the state of
 * incremental publication, cards published incrementally since the full build count as rendered.
 * Without it, any card newer than `builtAt` (epoch milliseconds) counts as changed.
 */
async function contentChanged(
  contentDir: string,
  distDir: string,
  builtAt: number,
): Promise<boolean> {
  const state = await readBuildState(distDir);
  const siteDir = await realpath(distDir).catch(() => undefined);
  if (state && state.siteDir === siteDir && state.contentDir === resolve(contentDir)) {
    return cardsChangedSince(state, listCardFiles(contentDir));
  }
  return (await newestCardTime(listCardFiles(contentDir))) > builtAt;
}

async function buildStaleSite(options: PrepareOptions): Promise<void> {
  const { contentDir, distDir, mediaDir, logger } = options;
  let builtAt = 0;
  try {
    // The sitemap is written last before the swap, so its time is the time of the build.
    builtAt = (await stat(join(distDir, "sitemap.xml"))).mtimeMs;
  } catch {
    // No complete build yet.
  }
  if (builtAt !== 0 && !(await contentChanged(contentDir, distDir, builtAt))) return;

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
 * Builds the page renderer of incremental publication when the site sources changed, so the
 * first approval does not wait for it. A failure is logged, and publications then run full builds.
 */
export async function prepareIncrementalRenderer(
  logger: StartLogger,
  siteUrl?: string,
): Promise<void> {
  try {
    const folder = await prepareRenderer(siteUrl);
    logger.info({ folder }, "page renderer ready");
  } catch (error) {
    logger.error({ err: error }, "page renderer build failed, publications run full builds");
  }
}

/**
 * Publishes the site for the editor API's rebuild queue. With the job's `cardIds` it renders only
 * the pages those cards change (`publishCards`), or runs a full build when it cannot. A job
 * without card ids always gets a full build, because an unpublished card changes no file time.
 * Rejects when the build failed so the queue can retry and notify. The previous site stays in
 * service until a build succeeds, apart from pages an interrupted incremental step replaced.
 */
export async function rebuildSite(
  options: PrepareOptions,
  cardIds: readonly string[] = [],
): Promise<void> {
  await publishSite(options, cardIds);
}

/** Publishes like `rebuildSite` and returns what the publication did. */
export async function publishSite(
  options: PrepareOptions,
  cardIds: readonly string[] = [],
): Promise<PublishReport> {
  const { contentDir, distDir, mediaDir, logger, imageCacheDir, siteUrl } = options;
  const published = await publishCards({
    contentDir,
    outDir: distDir,
    mediaDir,
    logger,
    imageCacheDir,
    siteUrl,
    cardIds,
  });
  if (published.mode === "incremental") {
    logger.info(
      { cards: published.cards.length, pages: published.pages.length, steps: published.steps },
      "site updated incrementally",
    );
    return published;
  }
  const { report } = published;
  logger.info(
    {
      cards: report.cards,
      pages: report.pages,
      issues: report.issues.length,
      fullBuildReason: published.reason,
    },
    "site rebuilt",
  );
  return published;
}
