/**
 * Hand-written card pages for the search index tests: the `data-pagefind-*` markup of a card page
 * without an Astro build, so a site of a few pages is ready in milliseconds.
 */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface FixturePage {
  id: string;
  title: string;
  summary: string;
  callYear: number;
  goodPractice?: boolean;
}

/** Site-relative path of a fixture page, as the index and `updateSearchIndex` name it. */
export function fixturePagePath(id: string): string {
  return `projects/sample/${id}/index.html`;
}

/** Renders the indexed part of a card page: body text, filters, metadata and sort keys. */
export function fixturePageHtml(page: FixturePage, titleRank: number): string {
  const flag = page.goodPractice ? '<span data-pagefind-filter="goodPractice">yes</span>' : "";
  return `<!doctype html><html lang="en"><head><title>${page.title}</title></head><body>
<article data-pagefind-body>
<h1 data-pagefind-meta="title">${page.title}</h1>
<p>${page.summary}</p>
<div data-pagefind-ignore hidden>
<span data-pagefind-filter="callYear">${page.callYear}</span>${flag}
<span data-pagefind-sort="title">${String(titleRank).padStart(6, "0")}</span>
<span data-pagefind-sort="callYear">${page.callYear}</span>
</div>
</article></body></html>
`;
}

/** Writes the pages into `siteDir`, ranked by their position in `pages`. */
export async function writeFixturePages(siteDir: string, pages: FixturePage[]): Promise<void> {
  for (const [rank, page] of pages.entries()) {
    const folder = join(siteDir, "projects", "sample", page.id);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, "index.html"), fixturePageHtml(page, rank));
  }
}

/** Creates an empty temporary site folder. */
export function createFixtureSite(): Promise<string> {
  return mkdtemp(join(tmpdir(), "search-index-"));
}
