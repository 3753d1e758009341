/** The search step: Pagefind indexes the card pages of a built site into `<site>/pagefind/`. */
import { join } from "node:path";
import * as pagefind from "pagefind";

/** Error raised when Pagefind reports errors while indexing or writing. */
export class PagefindError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PagefindError";
  }
}

/**
 * Indexes `siteDir/projects/**` (only card pages carry `data-pagefind-body`) and writes the
 * bundle. Returns the number of pages indexed.
 */
export async function runPagefind(siteDir: string): Promise<number> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: "en" });
  if (!index) throw new PagefindError(`Pagefind could not create an index: ${errors.join("; ")}`);
  try {
    const added = await index.addDirectory({ path: siteDir, glob: "projects/**/*.html" });
    if (added.errors.length > 0) {
      throw new PagefindError(`Pagefind failed to index ${siteDir}: ${added.errors.join("; ")}`);
    }
    const written = await index.writeFiles({ outputPath: join(siteDir, "pagefind") });
    if (written.errors.length > 0) {
      throw new PagefindError(`Pagefind failed to write its bundle: ${written.errors.join("; ")}`);
    }
    return added.page_count;
  } finally {
    await index.deleteIndex();
  }
}

/** Stops the Pagefind service process, so a command-line build can exit. */
export async function closePagefind(): Promise<void> {
  await pagefind.close();
}
