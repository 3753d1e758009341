/**
 * Writes one Pagefind 1.6 bundle (Node API) from a list of card pages of a built site, and counts
 * its filter values. The full build and the re-index of one shard both go through here, so a
 * shard's bundle does not depend on how it was made.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as pagefind from "pagefind";
import { countBundleFilters, type FilterCounts } from "./search-manifest.ts";

/** Error raised when Pagefind reports errors while indexing or writing. */
export class PagefindError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PagefindError";
  }
}

async function createIndex(): Promise<pagefind.PagefindIndex> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: "en" });
  if (!index) throw new PagefindError(`Pagefind could not create an index: ${errors.join("; ")}`);
  return index;
}

/**
 * Indexes `pages` (site-relative HTML paths) into the bundle folder `bundleDir` and returns the
 * filter counts of its pages. The folder must not hold an older bundle, because Pagefind adds
 * its files to whatever the folder contains.
 */
export async function writeShardBundle(
  siteDir: string,
  pages: readonly string[],
  bundleDir: string,
): Promise<FilterCounts> {
  const index = await createIndex();
  try {
    for (const page of pages) {
      const content = await readFile(join(siteDir, ...page.split("/")), "utf8");
      const added = await index.addHTMLFile({ sourcePath: page, content });
      if (added.errors.length > 0) {
        throw new PagefindError(`Pagefind failed to index ${page}: ${added.errors.join("; ")}`);
      }
    }
    const written = await index.writeFiles({ outputPath: bundleDir });
    if (written.errors.length > 0) {
      throw new PagefindError(
        `Pagefind failed to write ${bundleDir}: ${written.errors.join("; ")}`,
      );
    }
  } finally {
    await index.deleteIndex();
  }
  return countBundleFilters(bundleDir);
}

/** Stops the Pagefind service process, so a command-line build can exit. */
export async function closePagefind(): Promise<void> {
  await pagefind.close();
}
