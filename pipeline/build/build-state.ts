/**
 * The state an incremental publication starts from: the catalogue index of the served site (with
 * title ranks and logos) and the facts that must still be true for a single page rendered now to
 * equal the page a full build would write. A full build writes it after its swap, and every
 * incremental publication replaces it.
 *
 * Files, under `.build/<out name>-state/` beside the output: `state.json` and the catalogue
 * `catalogue-<suffix>.jsonl` that it names. The catalogue gets a new name on every write and
 * `state.json` is replaced by rename afterwards, so a reader always finds a state and the
 * catalogue it was written with. Absolute card file paths stay out of the served folder.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { writeFileAtomic } from "../card/index.ts";
import type { IndexEntry } from "./catalogue-index.ts";

/**
 * Format version of `state.json`. A state of another version is ignored, so a full build follows.
 */
export const BUILD_STATE_VERSION = 2;

export interface BuildState {
  version: number;
  /** `rendererKey` of the sources the served pages were rendered from. */
  rendererKey: string;
  siteUrl: string;
  contentDir: string;
  /** Real path of the served folder that the state describes. */
  siteDir: string;
  pagesPerSearchShard: number;
  /** Start of the full build that rendered every page, ISO 8601. */
  builtAt: string;
  /**
   * Modification times, in epoch milliseconds, of the card files published incrementally since
   * that build, by absolute path.
   */
  publishedCards: Record<string, number>;
  /** File name of the catalogue index in the state folder. */
  catalogueFile: string;
  updatedAt: string;
}

/** Folder of the state of the site at `outDir`. */
export function stateDirOf(outDir: string): string {
  return join(dirname(outDir), ".build", `${basename(outDir)}-state`);
}

/**
 * Reads the state of the site at `outDir`. Returns undefined when there is none, it is
 * unreadable or of another version, or its catalogue is missing.
 */
export async function readBuildState(outDir: string): Promise<BuildState | undefined> {
  const stateDir = stateDirOf(outDir);
  let state: BuildState;
  try {
    state = JSON.parse(await readFile(join(stateDir, "state.json"), "utf8")) as BuildState;
  } catch {
    return undefined;
  }
  return isCurrent(state) ? state : undefined;
}

function isCurrent(state: BuildState): boolean {
  return state.version === BUILD_STATE_VERSION && typeof state.catalogueFile === "string";
}

/**
 * Takes the state of the site at `outDir` for one publication and returns it, or undefined when
 * there is none. `state.json` is renamed away first, which only one caller can do, so a
 * publication in another process finds no state and runs a full build instead of writing pages
 * in between. The publication writes a new state when it succeeds.
 */
export async function claimBuildState(outDir: string): Promise<BuildState | undefined> {
  const stateDir = stateDirOf(outDir);
  const claimed = join(stateDir, `state.claimed-${randomBytes(6).toString("hex")}.json`);
  try {
    await rename(join(stateDir, "state.json"), claimed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const state = JSON.parse(await readFile(claimed, "utf8")) as BuildState;
    return isCurrent(state) ? state : undefined;
  } catch {
    return undefined;
  } finally {
    await rm(claimed, { force: true });
  }
}

/** Reads the catalogue index of `state`, sorted by page path as the site sorts it. */
export async function readStateCatalogue(outDir: string, state: BuildState): Promise<IndexEntry[]> {
  const text = await readFile(join(stateDirOf(outDir), state.catalogueFile), "utf8");
  const entries: IndexEntry[] = [];
  for (const line of text.split("\n")) {
    if (line !== "") entries.push(JSON.parse(line) as IndexEntry);
  }
  return entries.sort(byUrl);
}

/** Compares page paths by code unit, as `site/lib/catalogue.ts` sorts the catalogue. */
export function byUrl(a: IndexEntry, b: IndexEntry): number {
  if (a.url === b.url) return 0;
  return a.url < b.url ? -1 : 1;
}

/**
 * Writes the catalogue with `writeCatalogue` (given the path of a new file) and the state that
 * names it, then removes older catalogue files.
 */
export async function writeBuildState(
  outDir: string,
  state: Omit<BuildState, "version" | "catalogueFile" | "updatedAt">,
  writeCatalogue: (path: string) => Promise<void>,
  now: Date,
): Promise<BuildState> {
  const stateDir = stateDirOf(outDir);
  const catalogueFile = `catalogue-${randomBytes(6).toString("hex")}.jsonl`;
  await mkdir(stateDir, { recursive: true });
  await writeCatalogue(join(stateDir, catalogueFile));
  const written: BuildState = {
    version: BUILD_STATE_VERSION,
    ...state,
    catalogueFile,
    updatedAt: now.toISOString(),
  };
  await writeFileAtomic(join(stateDir, "state.json"), `${JSON.stringify(written, null, 2)}\n`);
  for (const name of await readdir(stateDir)) {
    if (name.startsWith("catalogue-") && name !== catalogueFile) {
      await rm(join(stateDir, name), { force: true });
    }
  }
  return written;
}

/**
 * Returns whether a card file among `files` changed after the site described by `state` last
 * rendered it: modified after the full build started, and not published incrementally since at
 * that modification time.
 */
export async function cardsChangedSince(
  state: BuildState,
  files: AsyncIterable<string>,
): Promise<boolean> {
  const builtAt = Date.parse(state.builtAt);
  for await (const file of files) {
    const { mtimeMs } = await stat(file);
    if (mtimeMs <= builtAt) continue;
    const published = state.publishedCards[file];
    if (published === undefined || mtimeMs > published) return true;
  }
  return false;
}
