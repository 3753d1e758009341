/**
 * The catalogue index: one compact line of JSON per valid card, written before `astro build` so
 * that the site lists and paginates cards without holding every card in memory. Each card page
 * reads its own file when it renders.
 *
 * The line format is shared with `site/lib/catalogue.ts`, which declares the same fields.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { relative } from "node:path";
import {
  type Card,
  cardRelativePath,
  effectiveLabels,
  listCardFiles,
  readCardFile,
} from "../card/index.ts";
import type { BuildIssue } from "./report.ts";

/** Sizes and public paths of a logo after the image step. */
export interface LogoImage {
  width: number;
  height: number;
  avif: string;
  webp: string;
  fallback: string;
  fallbackType: string;
}

export interface IndexEntry {
  /** Absolute path of the card file. */
  file: string;
  /** Site path of the card page, such as `/projects/erasmus-plus/2020-1-de01-ka201-005672/`. */
  url: string;
  id: string;
  programme: string;
  programmeSlug: string;
  title: string;
  language?: string;
  callYear?: number;
  startDate?: string;
  endDate?: string;
  coordinatorName?: string;
  coordinatorCountry?: string;
  countries: string[];
  goodPractice: boolean;
  successStory: boolean;
  /** Position of the card in the catalogue sorted by `compareTitles`, from 0. */
  titleRank?: number;
  logoSha256?: string;
  logo?: LogoImage;
}

const titleCollator = new Intl.Collator("en", { sensitivity: "base", numeric: true });

/**
 * Orders cards by title, ignoring case and accents and reading digits as numbers, then by page
 * path, so that equal titles keep one order from build to build.
 */
export function compareTitles(a: IndexEntry, b: IndexEntry): number {
  const byTitle = titleCollator.compare(a.title, b.title);
  if (byTitle !== 0) return byTitle;
  return a.url < b.url ? -1 : a.url > b.url ? 1 : 0;
}

/**
 * Sets `titleRank` of every entry and returns the card pages in title order, as paths relative
 * to the site folder.
 */
export function rankByTitle(entries: IndexEntry[]): string[] {
  const sorted = [...entries].sort(compareTitles);
  sorted.forEach((entry, rank) => {
    entry.titleRank = rank;
  });
  return sorted.map((entry) => `${entry.url.slice(1)}index.html`);
}

/** Builds the index entry of a card stored at `file`. */
export function toIndexEntry(card: Card, file: string): IndexEntry {
  const relativePath = cardRelativePath(card.programme, card.id);
  const [, programmeSlug] = relativePath.split("/");
  return {
    file,
    url: `/${relativePath.replace(/\.md$/, "")}/`,
    id: card.id,
    programme: card.programme,
    programmeSlug,
    title: card.title,
    language: card.language,
    callYear: card.callYear,
    startDate: card.startDate,
    endDate: card.endDate,
    coordinatorName: card.coordinator?.name,
    coordinatorCountry: card.coordinator?.country,
    countries: card.countries,
    ...effectiveLabels(card),
    logoSha256: card.editorial.logo?.sha256,
  };
}

export interface ScanResult {
  entries: IndexEntry[];
  issues: BuildIssue[];
  /** Number of card files found, valid or not. */
  fileCount: number;
}

/**
 * Reads every card under `contentDir`. An invalid card file, or a second card with the same page
 * path, becomes an issue naming the file, and the scan goes on with the next file.
 */
export async function scanCatalogue(
  contentDir: string,
  onCard?: (count: number) => void,
): Promise<ScanResult> {
  const entries: IndexEntry[] = [];
  const issues: BuildIssue[] = [];
  const urls = new Map<string, string>();
  let fileCount = 0;
  for await (const file of listCardFiles(contentDir)) {
    fileCount += 1;
    onCard?.(fileCount);
    let card: Card;
    try {
      card = await readCardFile(file);
    } catch (error) {
      issues.push({
        code: "CARD_INVALID",
        step: "content",
        file: relative(contentDir, file),
        message: `${(error as Error).message}. Fix the file or remove it; the card is left out of this build.`,
      });
      continue;
    }
    const entry = toIndexEntry(card, file);
    const earlier = urls.get(entry.url);
    if (earlier !== undefined) {
      issues.push({
        code: "CARD_DUPLICATE",
        step: "content",
        cardId: card.id,
        file: relative(contentDir, file),
        message: `card ${card.id} has the page path ${entry.url} of ${relative(contentDir, earlier)}; rename one of the files so it matches its programme and identifier`,
      });
      continue;
    }
    urls.set(entry.url, file);
    entries.push(entry);
  }
  return { entries, issues, fileCount };
}

/** Writes the index as JSON lines, one entry a line. */
export async function writeIndexFile(path: string, entries: Iterable<IndexEntry>): Promise<void> {
  const stream = createWriteStream(path);
  for (const entry of entries) {
    if (!stream.write(`${JSON.stringify(entry)}\n`)) await once(stream, "drain");
  }
  stream.end();
  await once(stream, "finish");
}
