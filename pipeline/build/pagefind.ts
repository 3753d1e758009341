/**
 * The search step: Pagefind indexes the card pages of a built site (only they carry
 * `data-pagefind-body`).
 *
 * The pages are indexed in shards of at most `PAGES_PER_SHARD` pages, one after the other, so the
 * memory of the Pagefind process stays bounded and one shard can be re-indexed alone
 * (`updateSearchIndex`). Shard 1 is written to `/pagefind/`, the next ones to `/pagefind-2/`,
 * `/pagefind-3/` and so on. `/pagefind/shards.json` lists every bundle for the search page to
 * merge (`mergeIndex`), and `search-manifest.ts` describes the other files written beside it.
 *
 * The search page sorts by title across shards by reading the shards one after the other, so the
 * build fills the shards in title order (`pageOrder`). Each page's `title` sort key is its rank in
 * that order, which keeps Pagefind's order inside a shard equal to the build's order.
 */
import { randomBytes } from "node:crypto";
import { access, opendir, rename, rm } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { writeShardBundle } from "./search-bundle.ts";
import {
  type FilterCounts,
  removeUnlistedBundles,
  type SearchManifest,
  writeSearchFiles,
} from "./search-manifest.ts";

export { closePagefind, PagefindError } from "./search-bundle.ts";
export { updateSearchIndex } from "./search-update.ts";

/**
 * Pages in one index bundle. Re-indexing a shard of 2,000 sample card pages took 6 to 14 s on a
 * 2-core machine with a load average of 9 to 11, so about 2 to 3 s unloaded (an estimate).
 */
export const PAGES_PER_SHARD = 2_000;

/**
 * Shards indexed at the same time, one Pagefind index each in the same Pagefind process, so one
 * shard can be parsed while another writes its files. On a shared 2-core machine (load average
 * 10 to 30), 8,000 sample pages took 41.5, 23.4 and 31.5 s this way against 50.1, 27.3 and
 * 32.4 s one at a time: a gain of up to about 15 %, within the noise of that machine.
 */
const SHARDS_AT_ONCE = 2;

/** Environment variable that sets the card pages per bundle, such as `SEARCH_SHARD_PAGES=10`. */
export const SHARD_PAGES_VARIABLE = "SEARCH_SHARD_PAGES";

/**
 * Reads the pages per bundle from `SEARCH_SHARD_PAGES`, or returns `PAGES_PER_SHARD` when it is
 * unset. Throws on a value that is not a positive integer.
 */
export function pagesPerShardFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[SHARD_PAGES_VARIABLE]?.trim();
  if (text === undefined || text === "") return PAGES_PER_SHARD;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `${SHARD_PAGES_VARIABLE} is invalid: "${text}"; set it to a positive whole number of pages or unset it`,
    );
  }
  return value;
}

export interface PagefindResult {
  pages: number;
  /** Site paths of the index bundles, the primary one first. */
  bundles: string[];
}

/** Lists the HTML files under `siteDir/projects`, relative to `siteDir`, in a stable order. */
async function listCardPages(
  siteDir: string,
  folder = join(siteDir, "projects"),
): Promise<string[]> {
  const pages: string[] = [];
  let entries: { name: string; isDirectory: boolean }[] = [];
  try {
    for await (const entry of await opendir(folder)) {
      entries.push({ name: entry.name, isDirectory: entry.isDirectory() });
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return pages;
    throw error;
  }
  entries = entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory) pages.push(...(await listCardPages(siteDir, path)));
    else if (entry.name.endsWith(".html")) pages.push(relative(siteDir, path).split(sep).join("/"));
  }
  return pages;
}

/**
 * Sorts `pages` by their position in `order`. Pages missing from `order` go last, by path.
 */
export function orderPages(pages: string[], order: readonly string[] | undefined): string[] {
  if (!order) return pages;
  const rank = new Map(order.map((page, index) => [page, index]));
  const last = order.length;
  return [...pages].sort(
    (a, b) => (rank.get(a) ?? last) - (rank.get(b) ?? last) || (a < b ? -1 : a > b ? 1 : 0),
  );
}

/**
 * Writes a shard's bundle into `bundleDir`. A folder left by an earlier index of the same site is
 * replaced whole, because Pagefind would add its files beside the old ones, and the filter counts
 * would then include pages that changed since.
 */
async function writeFreshBundle(
  siteDir: string,
  pages: readonly string[],
  bundleDir: string,
): Promise<FilterCounts> {
  if (!(await exists(bundleDir))) return writeShardBundle(siteDir, pages, bundleDir);
  const token = randomBytes(4).toString("hex");
  const fresh = `${bundleDir}.new-${token}`;
  const old = `${bundleDir}.old-${token}`;
  try {
    const counts = await writeShardBundle(siteDir, pages, fresh);
    await rename(bundleDir, old);
    await rename(fresh, bundleDir);
    return counts;
  } finally {
    await rm(fresh, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Site path of shard `number`'s bundle in a full build: `/pagefind/`, `/pagefind-2/`, ... */
export function fullBuildBundle(number: number): string {
  return number === 1 ? "/pagefind/" : `/pagefind-${number}/`;
}

/**
 * Indexes the card pages of `siteDir` and writes the bundle list, the filter counts and the
 * shard membership (see `search-manifest.ts`). Shards hold at most `pagesPerShard` pages each,
 * filled in the order of `pageOrder` (site-relative paths such as
 * `projects/erasmus-plus/2020-1-de01-ka201-005672/index.html`). Returns the number of pages
 * indexed and the bundle paths.
 */
export async function runPagefind(
  siteDir: string,
  pagesPerShard = PAGES_PER_SHARD,
  onShard?: (done: number, total: number) => void,
  pageOrder?: readonly string[],
): Promise<PagefindResult> {
  if (!Number.isInteger(pagesPerShard) || pagesPerShard < 1) {
    throw new RangeError(
      `pages per search shard is invalid: ${pagesPerShard}; use a positive whole number`,
    );
  }
  const pages = orderPages(await listCardPages(siteDir), pageOrder);
  const count = Math.max(1, Math.ceil(pages.length / pagesPerShard));
  const manifest: SearchManifest = { version: 1, shards: [] };
  let done = 0;
  const indexShard = async (number: number) => {
    const bundle = fullBuildBundle(number);
    const slice = pages.slice((number - 1) * pagesPerShard, number * pagesPerShard);
    const counts = await writeFreshBundle(
      siteDir,
      slice,
      join(siteDir, bundle.replaceAll("/", "")),
    );
    manifest.shards[number - 1] = { bundle, pages: slice, counts };
    done += 1;
    onShard?.(done, count);
  };
  for (let first = 1; first <= count; first += SHARDS_AT_ONCE) {
    const numbers: number[] = [];
    for (let number = first; number < first + SHARDS_AT_ONCE && number <= count; number += 1) {
      numbers.push(number);
    }
    await Promise.all(numbers.map(indexShard));
  }
  await writeSearchFiles(siteDir, manifest);
  await removeUnlistedBundles(siteDir, manifest);
  return { pages: pages.length, bundles: manifest.shards.map((shard) => shard.bundle) };
}
