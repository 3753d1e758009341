/**
 * Sorted hits across index shards. Pagefind merges the hits of merged bundles by score, and the
 * score of a sorted search is the hit's position within its own bundle, so a merged sorted list
 * interleaves the shards instead of sorting them. The search page therefore runs a sorted search
 * on each shard alone and merges the lists here:
 * - title: the build fills the shards in title order, so the lists follow one another;
 * - call year: each shard's list is sorted newest first, and its call-year filter counts give the
 *   number of leading hits of each year, so every hit gets its year without loading its data.
 */

/** The sorted hits of one shard with its hit count per call year. */
export interface ShardHits<T> {
  results: T[];
  /** Hits per call year (`"2014": 3`), as Pagefind's filter counts of that search. */
  callYears: Record<string, number>;
}

/** Joins shard lists sorted by title, which the build keeps in title ranges, in shard order. */
export function mergeByTitle<T>(shards: ShardHits<T>[]): T[] {
  return shards.flatMap((shard) => shard.results);
}

/**
 * Merges shard lists sorted newest call year first. Hits of one year keep the shard order, then
 * their order within the shard. Hits the counts do not cover go last.
 */
export function mergeByCallYear<T>(shards: ShardHits<T>[]): T[] {
  const keyed: { result: T; year: number }[] = [];
  for (const shard of shards) {
    const years = Object.entries(shard.callYears)
      .map(([year, count]) => ({ year: Number(year), count }))
      .filter((entry) => Number.isFinite(entry.year) && entry.count > 0)
      .sort((a, b) => b.year - a.year);
    let position = 0;
    for (const { year, count } of years) {
      for (const result of shard.results.slice(position, position + count)) {
        keyed.push({ result, year });
      }
      position += count;
    }
    for (const result of shard.results.slice(position)) {
      keyed.push({ result, year: Number.NEGATIVE_INFINITY });
    }
  }
  // Array.prototype.sort is stable, so equal years keep the order they were pushed in.
  keyed.sort((a, b) => compareNewestFirst(a.year, b.year));
  return keyed.map((entry) => entry.result);
}

function compareNewestFirst(a: number, b: number): number {
  if (a === b) return 0;
  return b > a ? 1 : -1;
}
