/**
 * Listing pages that a change of some cards alters: the pages of the programme listings, good
 * practices and success stories whose cards, numbers or headings differ between the catalogue
 * before and after the change.
 *
 * The order and page size repeat those of `site/lib/catalogue.ts` (`newestFirst`) and
 * `site/lib/listing.ts` (`PAGE_SIZE`), because the pipeline does not import the site. The test
 * beside this file checks that both agree.
 */
import type { IndexEntry } from "./catalogue-index.ts";

/** Cards on each listing page, as `site/lib/listing.ts` sets it. */
export const LISTING_PAGE_SIZE = 50;

/**
 * Orders cards newest first: the most recent call year, then the latest end date, then the page
 * path. The same order as `newestFirst` of `site/lib/catalogue.ts`.
 */
export function newestFirstOrder(a: IndexEntry, b: IndexEntry): number {
  const year = (b.callYear ?? 0) - (a.callYear ?? 0);
  if (year !== 0) return year;
  const end = (b.endDate ?? "").localeCompare(a.endDate ?? "");
  if (end !== 0) return end;
  if (a.url === b.url) return 0;
  return a.url < b.url ? -1 : 1;
}

/** A paginated listing: its first page's site path and which cards it lists. */
interface Listing {
  baseUrl: string;
  includes: (entry: IndexEntry) => boolean;
}

/** Site path of page `page` (from 1) of a listing whose first page is at `baseUrl`. */
export function listingPageUrl(baseUrl: string, page: number): string {
  return page === 1 ? baseUrl : `${baseUrl}${page}/`;
}

/**
 * Returns what makes each page of `listing` look as it does: its cards, the card count and the
 * page count, one text per page.
 */
function pageFingerprints(entries: IndexEntry[], listing: Listing): string[] {
  const listed = entries.filter(listing.includes).sort(newestFirstOrder);
  const lastPage = Math.max(1, Math.ceil(listed.length / LISTING_PAGE_SIZE));
  const pages: string[] = [];
  for (let page = 1; page <= lastPage; page += 1) {
    const cards = listed.slice((page - 1) * LISTING_PAGE_SIZE, page * LISTING_PAGE_SIZE);
    pages.push(JSON.stringify({ total: listed.length, lastPage, cards }));
  }
  return pages;
}

export interface ListingChanges {
  /** Site paths of listing pages to render again. */
  changed: string[];
  /** Site paths of listing pages that no longer exist, because the listing got shorter. */
  removed: string[];
}

/**
 * Compares every listing that a changed card is or was on between the catalogues `before` and
 * `after`, and returns the pages to render again or to remove. `changedUrls` are the page paths
 * of the changed cards, the same in both catalogues.
 */
export function listingChanges(
  before: IndexEntry[],
  after: IndexEntry[],
  changedUrls: ReadonlySet<string>,
): ListingChanges {
  const touched = [...before, ...after].filter((entry) => changedUrls.has(entry.url));
  const listings: Listing[] = [];
  for (const slug of new Set(touched.map((entry) => entry.programmeSlug))) {
    listings.push({
      baseUrl: `/programmes/${slug}/`,
      includes: (entry) => entry.programmeSlug === slug,
    });
  }
  if (touched.some((entry) => entry.goodPractice)) {
    listings.push({ baseUrl: "/good-practices/", includes: (entry) => entry.goodPractice });
  }
  if (touched.some((entry) => entry.successStory)) {
    listings.push({ baseUrl: "/success-stories/", includes: (entry) => entry.successStory });
  }

  const changes: ListingChanges = { changed: [], removed: [] };
  for (const listing of listings) {
    const old = pageFingerprints(before, listing);
    const current = pageFingerprints(after, listing);
    current.forEach((fingerprint, index) => {
      if (old[index] !== fingerprint)
        changes.changed.push(listingPageUrl(listing.baseUrl, index + 1));
    });
    for (let page = current.length + 1; page <= old.length; page += 1) {
      changes.removed.push(listingPageUrl(listing.baseUrl, page));
    }
  }
  return changes;
}
