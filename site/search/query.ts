/**
 * Runs one search state against Pagefind: first the hits, then the counts shown beside each filter
 * choice, so the hits show before the filter chunks load.
 */
import { SORTS } from "./facets.ts";
import {
  COUNTS_URL,
  type FilterCounts,
  type Pagefind,
  type PagefindResult,
  type SearchIndex,
  SHARD_FILTER,
} from "./pagefind.ts";
import { mergeByCallYear, mergeByTitle, type ShardHits } from "./shards.ts";
import { type SearchState, withoutFacet } from "./state.ts";

/** Filter chunks loaded, per Pagefind runtime, because a reloaded runtime starts empty. */
const filtersLoaded = new WeakMap<Pagefind, Promise<FilterCounts>>();
let catalogueCounts: Promise<FilterCounts> | undefined;

/**
 * Loads every filter chunk of every bundle once. Pagefind returns counts with a search only for
 * the filters whose chunks are loaded. In a large catalogue these chunks weigh more than
 * everything else a first search needs, so the page loads them after the first hits show.
 */
function loadAllFilters(pagefind: Pagefind): Promise<FilterCounts> {
  let loaded = filtersLoaded.get(pagefind);
  if (!loaded) {
    loaded = pagefind.filters();
    filtersLoaded.set(pagefind, loaded);
    loaded.catch(() => filtersLoaded.delete(pagefind));
  }
  return loaded;
}

/**
 * Returns the pages per filter value of the whole catalogue, which the build writes to
 * `filter-counts.json`, so a blank search loads neither Pagefind nor a filter chunk. A site
 * without that file gets the counts from Pagefind's filter chunks, through `loadIndex`.
 */
export function loadCatalogueCounts(loadIndex: () => Promise<Pagefind>): Promise<FilterCounts> {
  catalogueCounts ??= (async () => {
    const response = await fetch(COUNTS_URL);
    if (!response.ok) return loadAllFilters(await loadIndex());
    return (await response.json()) as FilterCounts;
  })();
  catalogueCounts.catch(() => {
    catalogueCounts = undefined;
  });
  return catalogueCounts;
}

/**
 * Searches for `state` and returns all hits in display order. Only the word chunks of the query
 * and the filter chunks of the selected filters load, except for the call-year sort over several
 * shards, which needs every shard's call-year counts (see `shards.ts`).
 */
export async function searchHits(
  index: SearchIndex,
  state: SearchState,
): Promise<PagefindResult[]> {
  const { pagefind } = index;
  const term = state.query === "" ? null : state.query;
  const sort = SORTS[state.sort].pagefind;
  if (!sort || index.shards === 1) {
    const response = await pagefind.search(term, {
      filters: state.filters,
      ...(sort ? { sort: { ...sort } } : {}),
    });
    return response.results;
  }
  if (state.sort === "newest") await loadAllFilters(pagefind);
  return sortAcrossShards(index, term, state);
}

/**
 * Computes, per facet and value, the number of hits the search would have with that value
 * selected. Loads every filter chunk first (once per page).
 *
 * Pagefind's `filters` counts what adding a value would give. For a facet that already has a
 * selection, adding a second value of the same facet is not what its list offers (choosing a
 * value replaces the selection), so that facet is counted by a second search without it. These
 * extra searches reuse the chunks already loaded, so they add no network traffic.
 */
export async function countChoices(index: SearchIndex, state: SearchState): Promise<FilterCounts> {
  const { pagefind } = index;
  await loadAllFilters(pagefind);
  const term = state.query === "" ? null : state.query;
  const response = await pagefind.search(term, { filters: state.filters });
  const counts: FilterCounts = { ...response.filters };
  for (const key of Object.keys(state.filters)) {
    const others = await pagefind.search(term, { filters: withoutFacet(state.filters, key) });
    counts[key] = others.filters[key] ?? {};
  }
  return counts;
}

// NOTE: Pagefind 1.6 matches a query word that a bundle lacks to the pages of the longest
// indexed word that starts it (seen in a test build: `aardvark` matched every page with `a`). With
// several shards, a word found in one shard can so bring unrelated hits from the others.

/**
 * Runs the sorted search on each shard alone and merges the lists (see `shards.ts`). These
 * searches reuse the chunks the merged search loaded, so they add no network traffic.
 */
async function sortAcrossShards(
  index: SearchIndex,
  term: string | null,
  state: SearchState,
): Promise<PagefindResult[]> {
  const sort = SORTS[state.sort].pagefind;
  const shards: ShardHits<PagefindResult>[] = [];
  for (let shard = 1; shard <= index.shards; shard += 1) {
    const response = await index.pagefind.search(term, {
      filters: { ...state.filters, [SHARD_FILTER]: String(shard) },
      ...(sort ? { sort: { ...sort } } : {}),
    });
    shards.push({ results: response.results, callYears: response.filters.callYear ?? {} });
  }
  return state.sort === "title" ? mergeByTitle(shards) : mergeByCallYear(shards);
}
