/**
 * The state of a search (query, filters, sort, page) and its form in the URL query string, so a
 * search can be bookmarked, shared and restored by the browser's back and forward buttons.
 *
 * Parameters: `q`, one parameter per facet key (`callYear=2010`, `goodPractice=yes`), `sort`
 * (omitted for relevance) and `page` (from 1, omitted for the first page). Unknown parameters and
 * invalid values are dropped, so a hand-edited URL still opens a working search.
 */
import { DEFAULT_SORT, FACETS, FLAG_VALUE, isSortKey, type SortKey } from "./facets.ts";

export interface SearchState {
  /** Full-text query as typed, trimmed; empty for a search by filters only. */
  query: string;
  /** Selected value per facet key; a facet without a selection has no entry. */
  filters: Record<string, string>;
  sort: SortKey;
  /** Result page, from 1. */
  page: number;
}

/** Maximum query length kept from a URL, in characters, so a crafted link cannot stall the index. */
const MAX_QUERY_LENGTH = 200;
/** Maximum filter value length kept from a URL, in characters. */
const MAX_VALUE_LENGTH = 300;

export function emptyState(): SearchState {
  return { query: "", filters: {}, sort: DEFAULT_SORT, page: 1 };
}

/** Reads a search state from a query string such as `location.search`. */
export function parseState(search: string | URLSearchParams): SearchState {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const state = emptyState();
  state.query = (params.get("q") ?? "").trim().slice(0, MAX_QUERY_LENGTH);

  for (const facet of FACETS) {
    const value = (params.get(facet.key) ?? "").trim();
    if (value === "" || value.length > MAX_VALUE_LENGTH) continue;
    if (facet.kind === "flag" && value !== FLAG_VALUE) continue;
    state.filters[facet.key] = value;
  }

  const sort = params.get("sort") ?? "";
  if (isSortKey(sort)) state.sort = sort;

  const page = Number(params.get("page"));
  if (Number.isInteger(page) && page > 1) state.page = page;
  return state;
}

/**
 * Writes a search state as a query string with a leading `?`, or `""` for the empty state.
 * Parameters follow the facet order, so one state always gives one URL.
 */
export function serializeState(state: SearchState): string {
  const params = new URLSearchParams();
  if (state.query !== "") params.set("q", state.query);
  for (const facet of FACETS) {
    const value = state.filters[facet.key];
    if (value !== undefined && value !== "") params.set(facet.key, value);
  }
  if (state.sort !== DEFAULT_SORT) params.set("sort", state.sort);
  if (state.page > 1) params.set("page", String(state.page));
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

/** Tells whether the state has neither a query nor a filter. */
export function isBlank(state: SearchState): boolean {
  return state.query === "" && Object.keys(state.filters).length === 0;
}

/** Copies the filters without one facet, to count the choices of that facet. */
export function withoutFacet(filters: Record<string, string>, key: string): Record<string, string> {
  const rest = { ...filters };
  delete rest[key];
  return rest;
}

export function sameState(a: SearchState, b: SearchState): boolean {
  return serializeState(a) === serializeState(b);
}
