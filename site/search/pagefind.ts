/**
 * The part of the Pagefind 1.6 browser API (`/pagefind/pagefind.js`) that the search page uses,
 * and its loader. The bundle is imported at run time from the built site, never bundled by Vite.
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
  filters(): Promise<FilterCounts>;
  preload(term: string, options?: PagefindSearchOptions): Promise<void>;
  search(term: string | null, options?: PagefindSearchOptions): Promise<PagefindSearchResponse>;
}

/** URL of the Pagefind bundle that the site build writes. */
export const BUNDLE_URL = "/pagefind/pagefind.js";

/** Number of words Pagefind puts in an excerpt. */
const EXCERPT_LENGTH = 40;

let loading: Promise<Pagefind> | undefined;

/**
 * Imports and configures Pagefind once per page. `init()` fetches only the entry file, the WASM
 * module and the index metadata; word chunks, filter chunks and result fragments load on demand.
 */
export function loadPagefind(): Promise<Pagefind> {
  loading ??= (async () => {
    const url = new URL(BUNDLE_URL, window.location.origin).href;
    const pagefind = (await import(/* @vite-ignore */ url)) as Pagefind;
    await pagefind.options({ excerptLength: EXCERPT_LENGTH });
    await pagefind.init();
    return pagefind;
  })();
  loading.catch(() => {
    // A failed import is not cached, so the next search tries again.
    loading = undefined;
  });
  return loading;
}
