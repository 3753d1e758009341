/**
 * The search criteria of the catalogue: one facet per Pagefind filter that card pages declare with
 * `data-pagefind-filter`, the sort orders over their `data-pagefind-sort` keys, and the page size.
 * Filter values are the texts the card pages show (countries as English names), so they are
 * listed as they come.
 */

/** A facet offered as a single-choice list, or a flag that card pages set to `yes`. */
export interface Facet {
  /** Pagefind filter name, also the URL query parameter. */
  key: string;
  label: string;
  kind: "choice" | "flag";
  /** Order of the choices: call years newest first, everything else alphabetical. */
  order?: "numeric-desc";
}

export const FACETS: readonly Facet[] = [
  { key: "programme", label: "Programme", kind: "choice" },
  { key: "action", label: "Action", kind: "choice" },
  { key: "actionType", label: "Action type", kind: "choice" },
  { key: "callYear", label: "Call year", kind: "choice", order: "numeric-desc" },
  { key: "coordinatorCountry", label: "Coordinator country", kind: "choice" },
  { key: "country", label: "Participating country", kind: "choice" },
  { key: "organisationType", label: "Organisation type", kind: "choice" },
  { key: "status", label: "Status", kind: "choice" },
  { key: "topic", label: "Topic", kind: "choice" },
  { key: "goodPractice", label: "Good practice", kind: "flag" },
  { key: "successStory", label: "Success story", kind: "flag" },
  { key: "resultsAvailable", label: "Results available", kind: "flag" },
];

/** The value card pages give a flag filter when the flag is set. */
export const FLAG_VALUE = "yes";

export const FACET_KEYS: ReadonlySet<string> = new Set(FACETS.map((facet) => facet.key));

/** Sort orders; `relevance` keeps Pagefind's ranking and passes no `sort` option. */
export const SORTS = {
  relevance: { label: "Relevance", pagefind: undefined },
  newest: { label: "Newest call year", pagefind: { callYear: "desc" } },
  title: { label: "Title (A to Z)", pagefind: { title: "asc" } },
} as const satisfies Record<
  string,
  { label: string; pagefind: Record<string, string> | undefined }
>;

export type SortKey = keyof typeof SORTS;

export const DEFAULT_SORT: SortKey = "relevance";

export function isSortKey(value: string): value is SortKey {
  return Object.hasOwn(SORTS, value);
}

/** Hits per result page; only the fragments of these hits are downloaded. */
export const PAGE_SIZE = 20;
