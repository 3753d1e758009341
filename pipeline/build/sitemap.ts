/**
 * The sitemap step: lists every page of the built site in `sitemap.xml` (a sitemap index) and
 * `sitemap-N.xml` parts of at most 50,000 URLs each (the limit of the sitemaps.org protocol), and
 * writes `robots.txt` pointing at the index.
 */
import { opendir, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";

export const URLS_PER_SITEMAP = 50_000;

/** Folders of the built site that hold no pages. */
const SKIPPED_FOLDERS = new Set(["_astro", "pagefind", "vendor", "media"]);

/** Yields the site path of every page in `siteDir`, such as `/` or `/help/`. */
async function* pagePaths(siteDir: string, folder = siteDir): AsyncGenerator<string> {
  const names: { name: string; isDirectory: boolean }[] = [];
  for await (const entry of await opendir(folder)) {
    names.push({ name: entry.name, isDirectory: entry.isDirectory() });
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of names) {
    const path = join(folder, entry.name);
    if (entry.isDirectory) {
      const skipped = SKIPPED_FOLDERS.has(entry.name) || /^pagefind-\d+$/.test(entry.name);
      if (folder === siteDir && skipped) continue;
      yield* pagePaths(siteDir, path);
    } else if (entry.name === "index.html") {
      const relativeFolder = relative(siteDir, folder).split(sep).join("/");
      yield relativeFolder === "" ? "/" : `/${relativeFolder}/`;
    }
  }
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function urlSet(urls: string[]): string {
  const lines = urls.map((url) => `  <url><loc>${escapeXml(url)}</loc></url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${lines.join("\n")}\n</urlset>\n`;
}

function sitemapIndex(urls: string[]): string {
  const lines = urls.map((url) => `  <sitemap><loc>${escapeXml(url)}</loc></sitemap>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${lines.join("\n")}\n</sitemapindex>\n`;
}

/** Writes the sitemaps and robots.txt for the site served at `siteUrl`. Returns the page count. */
export async function writeSitemaps(
  siteDir: string,
  siteUrl: string,
  urlsPerPart = URLS_PER_SITEMAP,
): Promise<number> {
  const parts: string[] = [];
  let batch: string[] = [];
  let pages = 0;
  const flush = async () => {
    const name = `sitemap-${parts.length + 1}.xml`;
    await writeFile(join(siteDir, name), urlSet(batch));
    parts.push(new URL(`/${name}`, siteUrl).href);
    batch = [];
  };
  for await (const path of pagePaths(siteDir)) {
    batch.push(new URL(path, siteUrl).href);
    pages += 1;
    if (batch.length === urlsPerPart) await flush();
  }
  if (batch.length > 0 || parts.length === 0) await flush();

  await writeFile(join(siteDir, "sitemap.xml"), sitemapIndex(parts));
  const sitemapUrl = new URL("/sitemap.xml", siteUrl).href;
  await writeFile(
    join(siteDir, "robots.txt"),
    `User-agent: *\nDisallow: /attachments/\nDisallow: /pagefind/\n\nSitemap: ${sitemapUrl}\n`,
  );
  return pages;
}
