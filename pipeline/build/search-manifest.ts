/**
 * The files that describe a sharded search index, beside the Pagefind bundles:
 * - `/pagefind/shards.json` (public): the bundle paths the search page merges, shard 1 first.
 * - `/pagefind/filter-counts.json` (public): pages per filter value over all shards, which the
 *   search page shows before any search, so it needs no filter chunk to fill its lists.
 * - `.search-shards.json` (at the site root, not linked from any page): the card pages of each
 *   shard and its filter counts, so one shard can be re-indexed without the others.
 *
 * The membership file lists public page paths only, so serving it by mistake leaks nothing.
 */
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { writeFileAtomic } from "../card/index.ts";

/** Pages per filter value, per filter name (`{ callYear: { "2014": 12 } }`). */
export type FilterCounts = Record<string, Record<string, number>>;

export interface ShardEntry {
  /** Site path of the bundle folder, such as `/pagefind-2/`. */
  bundle: string;
  /** Site-relative HTML paths of the pages in the shard, in indexing order. */
  pages: string[];
  counts: FilterCounts;
}

export interface SearchManifest {
  version: 1;
  shards: ShardEntry[];
}

/** Site-relative path of the shard membership file. */
export const MANIFEST_FILE = ".search-shards.json";
/** Site-relative path of the public list of bundles. */
export const SHARDS_FILE = "pagefind/shards.json";
/** Site-relative path of the public filter counts of the whole catalogue. */
export const COUNTS_FILE = "pagefind/filter-counts.json";

/** Pagefind prefixes every decompressed index file with this signature (Pagefind 1.6). */
const PAGEFIND_SIGNATURE = "pagefind_dcd";

/**
 * Reads the filter values of every page of a written bundle from its fragment files (gzip JSON,
 * one per page), which are exactly what Pagefind indexed, and counts pages per value.
 */
export async function countBundleFilters(bundleDir: string): Promise<FilterCounts> {
  const counts: FilterCounts = {};
  const folder = join(bundleDir, "fragment");
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => name.endsWith(".pf_fragment"));
  } catch (error) {
    // Pagefind writes no fragment folder for a bundle without pages.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return counts;
    throw error;
  }
  for (const name of names) {
    const bytes = gunzipSync(await readFile(join(folder, name)));
    const text = bytes.toString("utf8");
    const json = text.startsWith(PAGEFIND_SIGNATURE) ? text.slice(PAGEFIND_SIGNATURE.length) : text;
    const parsed = JSON.parse(json) as Fragment | Record<string, Fragment>;
    // Above `maxFragments` pages, Pagefind writes group files that map page hashes to fragments.
    const fragments = typeof parsed.url === "string" ? [parsed as Fragment] : Object.values(parsed);
    for (const fragment of fragments) addFragmentFilters(counts, fragment);
  }
  return counts;
}

interface Fragment {
  url?: unknown;
  filters?: Record<string, string[]>;
}

function addFragmentFilters(counts: FilterCounts, fragment: Fragment): void {
  for (const [filter, values] of Object.entries(fragment.filters ?? {})) {
    counts[filter] ??= {};
    for (const value of new Set(values)) {
      counts[filter][value] = (counts[filter][value] ?? 0) + 1;
    }
  }
}

/** Adds up the filter counts of several shards. */
export function sumCounts(parts: readonly FilterCounts[]): FilterCounts {
  const total: FilterCounts = {};
  for (const part of parts) {
    for (const [filter, values] of Object.entries(part)) {
      total[filter] ??= {};
      for (const [value, count] of Object.entries(values)) {
        total[filter][value] = (total[filter][value] ?? 0) + count;
      }
    }
  }
  return total;
}

/** Error with a stable `code`, raised when the search index files cannot be used. */
export class SearchIndexError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "SearchIndexError";
    this.code = code;
  }
}

/** Reads the shard membership file of a built site. */
export async function readManifest(siteDir: string): Promise<SearchManifest> {
  const path = join(siteDir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new SearchIndexError(
      "SEARCH_MANIFEST_MISSING",
      `${MANIFEST_FILE} is missing in ${siteDir}; run a full build to write the search index`,
    );
  }
  const manifest = JSON.parse(text) as SearchManifest;
  if (manifest.version !== 1 || !Array.isArray(manifest.shards)) {
    throw new SearchIndexError(
      "SEARCH_MANIFEST_INVALID",
      `${MANIFEST_FILE} in ${siteDir} has an unknown format; run a full build to rewrite it`,
    );
  }
  return manifest;
}

/**
 * Writes the public bundle list and counts, then the membership file, each by an atomic rename.
 * The bundle list goes first because it is the switch that the search page reads.
 */
export async function writeSearchFiles(siteDir: string, manifest: SearchManifest): Promise<void> {
  const pages = manifest.shards.reduce((sum, shard) => sum + shard.pages.length, 0);
  const bundles = manifest.shards.map((shard) => shard.bundle);
  await writeFileAtomic(join(siteDir, SHARDS_FILE), `${JSON.stringify({ bundles, pages })}\n`);
  const counts = sumCounts(manifest.shards.map((shard) => shard.counts));
  await writeFileAtomic(join(siteDir, COUNTS_FILE), `${JSON.stringify(counts)}\n`);
  await writeFileAtomic(join(siteDir, MANIFEST_FILE), `${JSON.stringify(manifest)}\n`);
}

/** Folders that only bundle writes create: shard bundles and staged page links. */
const SWEPT_FOLDER = /^(pagefind-\d+(-[0-9a-z]+)?|\.search-staging-[0-9a-f]+)$/;

/** Deletes the bundle folders and staging folders of the site that the manifest does not name. */
export async function removeUnlistedBundles(
  siteDir: string,
  manifest: SearchManifest,
): Promise<void> {
  const listed = new Set(manifest.shards.map((shard) => shard.bundle.replaceAll("/", "")));
  for (const name of await readdir(siteDir)) {
    if (SWEPT_FOLDER.test(name) && !listed.has(name)) {
      await rm(join(siteDir, name), { recursive: true, force: true });
    }
  }
}
