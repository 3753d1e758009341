/**
 * Runs one search state against Pagefind and computes the counts shown beside each filter choice.
 */
import { SORTS } from "./facets.ts";
import {
  type FilterCounts,
  type Pagefind,
  type PagefindResult,
  type SearchIndex,
  SHARD_FILTER,
} from "./pagefind.ts";
import { mergeByCallYear, mergeByTitle, type ShardHits } from "./shards.ts";
import { type SearchState, withoutFacet } from "./state.ts";

export interface SearchOutcome {
  /** All hits in display order; only their ids are loaded so far. */
  results: PagefindResult[];
  /** Per facet and value, the number of hits the search would have with that value selected. */
  counts: FilterCounts;
}

let filtersLoaded: Promise<FilterCounts> | undefined;

/**
 * Loads the filter chunks once. Pagefind returns counts with a search only after `filters()` ran,
 * and the returned totals serve as the counts of a blank search.
 */
export function loadFilterTotals(pagefind: Pagefind): Promise<FilterCounts> {
  filtersLoaded ??= pagefind.filters();
  return filtersLoaded;
}

/**
 * Searches for `state` and returns the hits and the choice counts.
 *
 * Pagefind's `filters` counts what adding a value would give. For a facet that already has a
 * selection, adding a second value of the same facet is not what its list offers (choosing a
 * value replaces the selection), so that facet is counted by a second search without it. These
 * extra searches reuse the chunks already loaded, so they add no network traffic.
 */
export async function runSearch(index: SearchIndex, state: SearchState): Promise<SearchOutcome> {
  const { pagefind } = index;
  await loadFilterTotals(pagefind);
  const term = state.query === "" ? null : state.query;
  const sort = SORTS[state.sort].pagefind;
  const response = await pagefind.search(term, {
    filters: state.filters,
    ...(sort ? { sort: { ...sort } } : {}),
  });

  const counts: FilterCounts = { ...response.filters };
  for (const key of Object.keys(state.filters)) {
    const others = await pagefind.search(term, { filters: withoutFacet(state.filters, key) });
    counts[key] = others.filters[key] ?? {};
  }
  if (!sort || index.shards === 1) return { results: response.results, counts };
  return { results: await sortAcrossShards(index, term, state), counts };
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
