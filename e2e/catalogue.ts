/**
 * Expected search results, computed from the card files alone, to check what the browser shows.
 */
import {
  type Card,
  effectiveLabels,
  identifierFileStem,
  listCardFiles,
  readCardFile,
  slugify,
} from "../pipeline/card/index.ts";
import { countryName } from "../site/lib/format.ts";

export interface CatalogueCard {
  card: Card;
  /** Path of the card page, such as `/projects/culture-2007-2013/eacea-148825/`. */
  url: string;
  /** The card values its page gives Pagefind to search, accents removed, for word matching. */
  text: string;
}

/**
 * Lists the values that `site/pages/projects/[programme]/[id].astro` leaves searchable: the text
 * outside `data-pagefind-ignore` and the meta values.
 */
function searchableValues(card: Card): (string | undefined)[] {
  const organisations = [card.coordinator, ...card.partners];
  const results = card.editorial.results.filter((result) => result.published);
  const labels = effectiveLabels(card);
  return [
    card.title,
    card.summary,
    card.programme,
    card.subProgramme,
    card.action,
    card.actionType,
    card.callYear === undefined ? undefined : String(card.callYear),
    card.id,
    card.externalReference,
    card.nationalIdentifier,
    ...card.topics,
    ...card.countries.map(countryName),
    ...organisations.map((organisation) => organisation?.name),
    card.coordinator?.country ? countryName(card.coordinator.country) : undefined,
    ...results.flatMap((result) => [result.title, result.description]),
    labels.goodPractice ? "Good practice" : undefined,
    labels.successStory ? "Success story" : undefined,
  ];
}

function withoutAccents(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "");
}

export async function readCatalogue(contentDir: string): Promise<CatalogueCard[]> {
  const cards: CatalogueCard[] = [];
  for await (const file of listCardFiles(contentDir)) {
    const card = await readCardFile(file);
    cards.push({
      card,
      url: `/projects/${slugify(card.programme)}/${identifierFileStem(card.id)}/`,
      text: withoutAccents(searchableValues(card).filter(Boolean).join("\n")),
    });
  }
  return cards;
}

/**
 * Cards that contain a word starting with `stem`, in any field, accents ignored. This mirrors
 * Pagefind 1.6 with English stemming: a query word is reduced to its stem (`mobility` to `mobil`)
 * and matches every indexed word whose stem starts with it (`mobile`, `mobilité`, `mobilisation`).
 */
export function cardsWithStem(cards: CatalogueCard[], stem: string): CatalogueCard[] {
  const pattern = new RegExp(`\\b${stem}`, "i");
  return cards.filter((entry) => pattern.test(entry.text));
}

/** Lists the values a card page gives a filter, as `site/pages/projects/[programme]/[id].astro` does. */
export function filterValues(card: Card, key: string): string[] {
  switch (key) {
    case "programme":
      return [card.programme];
    case "callYear":
      return card.callYear === undefined ? [] : [String(card.callYear)];
    case "coordinatorCountry":
      return card.coordinator?.country ? [countryName(card.coordinator.country)] : [];
    case "country":
      return card.countries.map(countryName);
    case "action":
      return card.action ? [card.action] : [];
    case "actionType":
      return card.actionType ? [card.actionType] : [];
    case "topic":
      return card.topics;
    case "goodPractice":
      return effectiveLabels(card).goodPractice ? ["yes"] : [];
    case "successStory":
      return effectiveLabels(card).successStory ? ["yes"] : [];
    case "resultsAvailable":
      return card.resultsAvailable ? ["yes"] : [];
    case "status":
      if (card.status === "ongoing") return ["Ongoing"];
      if (card.status === "completed") return ["Completed"];
      return [];
    default:
      throw new Error(`filterValues: no rule for filter ${key}; add one to e2e/catalogue.ts`);
  }
}

/** Cards matching every `filters` entry. */
export function withFilters(
  cards: CatalogueCard[],
  filters: Record<string, string>,
): CatalogueCard[] {
  return cards.filter((entry) =>
    Object.entries(filters).every(([key, value]) => filterValues(entry.card, key).includes(value)),
  );
}

/** Finds the most frequent value of a filter among `cards`, ties broken alphabetically. */
export function mostFrequentValue(cards: CatalogueCard[], key: string): string | undefined {
  const counts = new Map<string, number>();
  for (const entry of cards) {
    for (const value of filterValues(entry.card, key)) {
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return ranked[0]?.[0];
}
