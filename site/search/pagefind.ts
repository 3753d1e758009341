/**
 * The part of the Pagefind 1.6 browser API (`/pagefind/pagefind.js`) that the search page uses,
 * and its loader. The bundle is imported at run time from the built site, never bundled by Vite.
 *
 * A large catalogue is indexed in several bundles, listed in `/pagefind/shards.json`. The loader
 * merges them into the primary one with `mergeIndex`, so every search covers all of them. Merged
 * bundles share the primary bundle's WebAssembly module, and each gets a `shard` filter
 * (`mergeFilter`) so that a search can be limited to one shard.
 */

/** Hit count per filter value, per filter name. */
export type FilterCounts = Record<string, Record<string, number>>;

export interface PagefindSearchOptions {
  filters?: Record<string, string | string[]>;
  sort?: Record<string, string>;
}

/** Data of one hit, loaded from its own fragment file. */
export interface PagefindResultData {
  url: string;
  /** Text around the matched words, HTML-escaped by Pagefind, with the matches in `<mark>`. */
  excerpt: string;
  /** Raw, unescaped values of the page's `data-pagefind-meta` attributes. */
  meta: Record<string, string | undefined>;
  filters: Record<string, string[]>;
}

export interface PagefindResult {
  id: string;
  data(): Promise<PagefindResultData>;
}

export interface PagefindSearchResponse {
  results: PagefindResult[];
  /** Hits of the query alone, before filtering. */
  unfilteredResultCount: number;
  /** Hits if a filter value were added to the current filters (present once `filters()` ran). */
  filters: FilterCounts;
  /** Hits if a filter value replaced the current filters. */
  totalFilters: FilterCounts;
}

export interface Pagefind {
  options(options: Record<string, unknown>): Promise<void>;
  init(): Promise<void>;
  mergeIndex(indexPath: string, options?: Record<string, unknown>): Promise<void>;
  filters(): Promise<FilterCounts>;
  preload(term: string, options?: PagefindSearchOptions): Promise<void>;
  search(term: string | null, options?: PagefindSearchOptions): Promise<PagefindSearchResponse>;
}

/** Pagefind with its bundles merged, and the number of shards. */
export interface SearchIndex {
  pagefind: Pagefind;
  /** Number of bundles; shard `n` has the `shard` filter value `String(n)`, from 1. */
  shards: number;
  /** Bundle paths as `shards.json` listed them when the index loaded. */
  bundles: readonly string[];
}

/** URL of the Pagefind bundle that the site build writes. */
export const BUNDLE_URL = "/pagefind/pagefind.js";

/** URL of the list of bundles that `pipeline/build/pagefind.ts` writes. */
export const SHARDS_URL = "/pagefind/shards.json";

/** URL of the pages per filter value of the whole catalogue, written by the build. */
export const COUNTS_URL = "/pagefind/filter-counts.json";

/** Filter that identifies the shard of a hit; no card page sets it. */
export const SHARD_FILTER = "shard";

/** Number of words Pagefind puts in an excerpt. */
const EXCERPT_LENGTH = 40;

let loading: Promise<SearchIndex> | undefined;
/** Number of times the index was dropped. Each reload imports a fresh copy of the runtime. */
let reloads = 0;

/**
 * Drops the loaded index, so the next `loadPagefind` reads `shards.json` again. A re-indexed shard
 * moves to a new folder and the old one is deleted one update later, so a page open that long
 * fails to fetch chunks from it. Pagefind keeps its bundles in module state and cannot drop one,
 * so the runtime is imported again under another URL, which gives a new module instance.
 */
export function reloadPagefind(): void {
  loading = undefined;
  reloads += 1;
}

/**
 * Bundle folders that the build writes (`/pagefind/`, `/pagefind-2/`) and that `updateSearchIndex`
 * writes when it re-indexes a shard (`/pagefind-2-<token>/`).
 */
const BUNDLE_PATH = /^\/pagefind(-\d+(-[0-9a-z]+)?)?\/$/;

/**
 * Reads the bundle paths from `shards.json`, shard 1 first. A site built before shards existed
 * has no such file, so a missing or invalid list means the primary bundle alone.
 */
async function loadBundles(cache: RequestCache = "default"): Promise<string[]> {
  const primary = ["/pagefind/"];
  const response = await fetch(SHARDS_URL, { cache });
  if (!response.ok) return primary;
  const list = ((await response.json()) as { bundles?: unknown }).bundles;
  if (!Array.isArray(list) || list.length === 0) return primary;
  const valid = list.every((bundle) => typeof bundle === "string" && BUNDLE_PATH.test(bundle));
  return valid ? (list as string[]) : primary;
}

/**
 * Checks whether `shards.json` still lists the bundles of `index`. Pagefind skips a word chunk it
 * fails to fetch, so a search on a moved shard would miss its hits without an error.
 */
export async function isIndexCurrent(index: SearchIndex): Promise<boolean> {
  const bundles = await loadBundles("no-cache");
  return bundles.length === index.bundles.length && bundles.every((b, i) => b === index.bundles[i]);
}

/**
 * Imports and configures Pagefind once per page, with every bundle merged. `init()` fetches only
 * the entry file, the WASM module and the index metadata, and each merged bundle adds its own
 * entry file and metadata. Word chunks, filter chunks and result fragments load on demand.
 */
export function loadPagefind(): Promise<SearchIndex> {
  loading ??= (async () => {
    const url = new URL(BUNDLE_URL, window.location.origin);
    if (reloads > 0) url.searchParams.set("reload", String(reloads));
    const [pagefind, bundles] = await Promise.all([
      import(/* @vite-ignore */ url.href) as Promise<Pagefind>,
      loadBundles(),
    ]);
    const sharded = bundles.length > 1;
    // Shard 1 leaves `/pagefind/` once it is re-indexed alone, but the runtime stays there.
    await pagefind.options({
      basePath: bundles[0],
      excerptLength: EXCERPT_LENGTH,
      ...(sharded ? { mergeFilter: { [SHARD_FILTER]: "1" } } : {}),
    });
    await pagefind.init();
    await Promise.all(
      bundles.slice(1).map((bundle, index) =>
        pagefind.mergeIndex(bundle, {
          excerptLength: EXCERPT_LENGTH,
          mergeFilter: { [SHARD_FILTER]: String(index + 2) },
        }),
      ),
    );
    return { pagefind, shards: bundles.length, bundles };
  })();
  loading.catch(() => {
    // A failed import is not cached, so the next search tries again.
    loading = undefined;
  });
  return loading;
}
