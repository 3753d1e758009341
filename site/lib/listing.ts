import type { IndexEntry } from "./catalogue.ts";

/** Number of cards on each listing page. */
export const PAGE_SIZE = 50;

/** The fields of Astro's `Page` that the listing pages read. */
export interface ListingPage {
  data: IndexEntry[];
  /** Position of the first card of the page in the listing, from 0. */
  start: number;
  /** Position of the last card of the page, -1 on the empty first page. */
  end: number;
  total: number;
  currentPage: number;
  lastPage: number;
}

/** Number of pages of a listing of `total` cards; an empty listing still has its first page. */
export function lastPageOf(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}

/**
 * Cuts page `pageParam` (the `[...page]` route parameter: undefined for page 1, "2" for page 2)
 * out of the sorted `entries`, with the numbers Astro's `paginate` gives a static page. Returns
 * undefined for a parameter that names no page of the listing, such as "1", "02" or one past the
 * last page.
 */
export function listingPage(
  entries: IndexEntry[],
  pageParam: string | undefined,
): ListingPage | undefined {
  const lastPage = lastPageOf(entries.length);
  let currentPage = 1;
  if (pageParam !== undefined) {
    if (!/^[1-9][0-9]*$/.test(pageParam)) return undefined;
    currentPage = Number(pageParam);
    if (currentPage < 2 || currentPage > lastPage) return undefined;
  }
  const start = (currentPage - 1) * PAGE_SIZE;
  const end = Math.min(start + PAGE_SIZE, entries.length);
  return {
    data: entries.slice(start, end),
    start,
    end: end - 1,
    total: entries.length,
    currentPage,
    lastPage,
  };
}
