/**
 * Writes one Pagefind 1.6 bundle (Node API) from a list of card pages of a built site, and counts
 * its filter values. The full build and the re-index of one shard both go through here, so a
 * shard's bundle does not depend on how it was made.
 */
import { randomBytes } from "node:crypto";
import { copyFile, link, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
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
 * Links `pages` into a new folder of `siteDir` under the same relative paths, so Pagefind can
 * read exactly these pages with `addDirectory`. A hard link costs no copy, and the folder sits in
 * the site so that it is on the same file system. Returns the folder.
 */
async function stagePages(siteDir: string, pages: readonly string[]): Promise<string> {
  const staging = join(siteDir, `.search-staging-${randomBytes(4).toString("hex")}`);
  await mkdir(staging, { recursive: true });
  const folders = new Set(pages.map((page) => dirname(join(staging, ...page.split("/")))));
  await inBatches([...folders], async (folder) => {
    await mkdir(folder, { recursive: true });
  });
  await inBatches(pages, async (page) => {
    const source = join(siteDir, ...page.split("/"));
    const target = join(staging, ...page.split("/"));
    try {
      await link(source, target);
    } catch (error) {
      // Some file systems have no hard links.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EPERM" && code !== "ENOTSUP") throw error;
      await copyFile(source, target);
    }
  });
  return staging;
}

/** File system calls in flight at once while staging. */
const STAGING_BATCH = 64;

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += STAGING_BATCH) {
    await Promise.all(items.slice(start, start + STAGING_BATCH).map(work));
  }
}

/**
 * Indexes `pages` (site-relative HTML paths) into the bundle folder `bundleDir` and returns the
 * filter counts of its pages. The folder must not contain an older bundle, because Pagefind adds
 * its files to whatever the folder contains.
 *
 * `addDirectory` reads and parses the pages inside the Pagefind process, in parallel: 10,000
 * sample pages took 3.1 s, against 11.1 s for `addHTMLFile` with 16 pages in flight (measured
 * on a loaded 2-core machine).
 */
export async function writeShardBundle(
  siteDir: string,
  pages: readonly string[],
  bundleDir: string,
): Promise<FilterCounts> {
  const staging = await stagePages(siteDir, pages);
  const index = await createIndex();
  try {
    const added = await index.addDirectory({ path: staging, glob: "**/*.html" });
    if (added.errors.length > 0) {
      throw new PagefindError(`Pagefind failed to index ${siteDir}: ${added.errors.join("; ")}`);
    }
    if (added.page_count !== pages.length) {
      throw new PagefindError(
        `Pagefind indexed ${added.page_count} of ${pages.length} pages of ${siteDir}. Check that every card page has data-pagefind-body`,
      );
    }
    const written = await index.writeFiles({ outputPath: bundleDir });
    if (written.errors.length > 0) {
      throw new PagefindError(
        `Pagefind failed to write ${bundleDir}: ${written.errors.join("; ")}`,
      );
    }
  } finally {
    await index.deleteIndex();
    await rm(staging, { recursive: true, force: true });
  }
  return countBundleFilters(bundleDir);
}

/** Stops the Pagefind service process, so a command-line build can exit. */
export async function closePagefind(): Promise<void> {
  await pagefind.close();
}
