/**
 * The catalogue as the pages see it: the compact index of every card, loaded once per build.
 *
 * `pipeline/build` writes the index (JSON lines, the format of `pipeline/build/catalogue-index.ts`)
 * and names it in CATALOGUE_INDEX. Without it, as under `astro dev`, the cards under CONTENT_DIR
 * (default `content/`) are scanned here, without logos, and invalid files are skipped with a
 * warning.
 */
import { createReadStream } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
// The build writes the index, so the site takes its entry type from there (a type-only import).
import type { IndexEntry } from "../../pipeline/build/catalogue-index.ts";
import {
  type Card,
  cardRelativePath,
  effectiveLabels,
  listCardFiles,
  readCardFile,
} from "../../pipeline/card/index.ts";

export type { IndexEntry, LogoImage } from "../../pipeline/build/catalogue-index.ts";

let loading: Promise<IndexEntry[]> | undefined;

/** Returns every card of the catalogue, sorted by programme then page path. */
export function loadCatalogue(): Promise<IndexEntry[]> {
  loading ??= readCatalogue();
  return loading;
}

/**
 * Locals of an on-demand render by the incremental publisher (`pipeline/build/incremental.ts`):
 * the catalogue as it is after the publication, sorted by page path as `loadCatalogue` sorts it.
 */
export interface CatalogueLocals {
  catalogue?: IndexEntry[];
}

/**
 * Returns the catalogue handed over in `locals` by an on-demand render, else the catalogue of
 * the static build (`loadCatalogue`).
 */
export function catalogueOf(locals: object | undefined): Promise<IndexEntry[]> {
  const handedOver = (locals as CatalogueLocals | undefined)?.catalogue;
  return handedOver ? Promise.resolve(handedOver) : loadCatalogue();
}

/** Finds the card whose page is at the site path `url`, such as `/projects/culture-2007/123/`. */
export function findEntry(entries: IndexEntry[], url: string): IndexEntry | undefined {
  let low = 0;
  let high = entries.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const candidate = entries[middle].url;
    if (candidate === url) return entries[middle];
    if (candidate < url) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

async function readCatalogue(): Promise<IndexEntry[]> {
  const indexFile = process.env.CATALOGUE_INDEX;
  const entries = indexFile ? await readIndexFile(indexFile) : await scanContent();
  return entries.sort(byUrl);
}

async function readIndexFile(path: string): Promise<IndexEntry[]> {
  const entries: IndexEntry[] = [];
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() !== "") entries.push(JSON.parse(line) as IndexEntry);
  }
  return entries;
}

async function scanContent(): Promise<IndexEntry[]> {
  const contentDir = resolve(process.env.CONTENT_DIR ?? "content");
  const entries: IndexEntry[] = [];
  for await (const file of listCardFiles(contentDir)) {
    let card: Card;
    try {
      card = await readCardFile(file);
    } catch (error) {
      console.warn(`skipped ${file}: ${(error as Error).message}`);
      continue;
    }
    const relativePath = cardRelativePath(card.programme, card.id);
    entries.push({
      file,
      url: `/${relativePath.replace(/\.md$/, "")}/`,
      id: card.id,
      programme: card.programme,
      programmeSlug: relativePath.split("/")[1],
      title: card.title,
      language: card.language,
      callYear: card.callYear,
      startDate: card.startDate,
      endDate: card.endDate,
      coordinatorName: card.coordinator?.name,
      coordinatorCountry: card.coordinator?.country,
      countries: card.countries,
      ...effectiveLabels(card),
    });
  }
  return entries;
}

/**
 * Orders cards newest first: the most recent call year, then the latest end date, then the page
 * path, so the order is stable from one build to the next.
 */
export function newestFirst(a: IndexEntry, b: IndexEntry): number {
  const year = (b.callYear ?? 0) - (a.callYear ?? 0);
  if (year !== 0) return year;
  const end = (b.endDate ?? "").localeCompare(a.endDate ?? "");
  if (end !== 0) return end;
  return byUrl(a, b);
}

/** Compares page paths by code unit, the same order on every machine and locale. */
function byUrl(a: IndexEntry, b: IndexEntry): number {
  if (a.url === b.url) return 0;
  return a.url < b.url ? -1 : 1;
}

export interface Programme {
  name: string;
  slug: string;
  cards: IndexEntry[];
}

/** Groups the catalogue (`loadCatalogue` unless given) by programme, sorted by programme name. */
export async function loadProgrammes(
  catalogue: Promise<IndexEntry[]> = loadCatalogue(),
): Promise<Programme[]> {
  const entries = await catalogue;
  return derived(entries, "programmes", () => groupProgrammes(entries));
}

function groupProgrammes(entries: IndexEntry[]): Programme[] {
  const bySlug = new Map<string, Programme>();
  for (const entry of entries) {
    let programme = bySlug.get(entry.programmeSlug);
    if (!programme) {
      programme = { name: entry.programme, slug: entry.programmeSlug, cards: [] };
      bySlug.set(entry.programmeSlug, programme);
    }
    programme.cards.push(entry);
  }
  return [...bySlug.values()].sort((a, b) => a.name.localeCompare(b.name, "en"));
}

/**
 * Values computed from one catalogue array, by name. An incremental publication renders many
 * listing pages from the same array, and each would otherwise group and sort every card again.
 */
const derivedValues = new WeakMap<IndexEntry[], Map<string, unknown>>();

function derived<T>(entries: IndexEntry[], name: string, compute: () => T): T {
  let values = derivedValues.get(entries);
  if (!values) {
    values = new Map();
    derivedValues.set(entries, values);
  }
  if (!values.has(name)) values.set(name, compute());
  return values.get(name) as T;
}

/** Returns every card, newest first. */
export function newestCards(entries: IndexEntry[]): IndexEntry[] {
  return derived(entries, "newest", () => [...entries].sort(newestFirst));
}

/** Returns the cards with the label `label`, newest first. */
export function labelledNewestFirst(
  entries: IndexEntry[],
  label: "goodPractice" | "successStory",
): IndexEntry[] {
  return derived(entries, `label:${label}`, () =>
    entries.filter((entry) => entry[label]).sort(newestFirst),
  );
}

/** Returns the cards of the programme `slug` among `entries`, newest first. */
export async function programmeNewestFirst(
  entries: IndexEntry[],
  slug: string,
): Promise<{ name: string; cards: IndexEntry[] } | undefined> {
  const programme = (await loadProgrammes(Promise.resolve(entries))).find(
    (candidate) => candidate.slug === slug,
  );
  if (!programme) return undefined;
  const cards = derived(entries, `programme:${slug}`, () => [...programme.cards].sort(newestFirst));
  return { name: programme.name, cards };
}

/** Number of cards per key, largest first, then by key. */
export function countBy(
  entries: IndexEntry[],
  keys: (entry: IndexEntry) => (string | undefined)[],
): { key: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    for (const key of new Set(keys(entry))) {
      if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key, "en"));
}
