/**
 * Deterministic sample project cards. Card `i` of a seed depends only on the seed and `i`, so a
 * smaller sample is a prefix of a larger one and the same seed always gives the same cards.
 */
import type { CardInput, Contact, Organisation, Result } from "../card/index.ts";
import { organisationHost, organisationName } from "./organisations.ts";
import { ALL_COUNTRIES, COUNTRY_WEIGHTS, type Country } from "./places.ts";
import {
  ERASMUS_TOPICS,
  ORGANISATION_TYPES,
  type OrganisationKind,
  PROGRAMME_PROFILES,
  type ProgrammeProfile,
} from "./programmes.ts";
import { createRandom, type Random } from "./random.ts";
import { SUMMARY_LANGUAGES, writeText } from "./text.ts";

/**
 * Date of the sample export: a card ending before it is `completed`. It is fixed, so the sample
 * never depends on the current date, and calls of 2021-2026 keep both statuses present.
 */
export const SAMPLE_AS_OF = "2026-06-30";
/** Largest partner count the Erasmus+ export layout can carry. */
const MAX_PARTNERS = 100;

export type GenerateOptions = {
  /** Keeps only cards of these programmes (`Erasmus+`, `Creative Europe`, ...). */
  programmes?: readonly string[];
  /** Keeps only profiles whose calls all closed by this year (2020 for the 2014-2020 layout). */
  lastCallYear?: number;
};

const PROFILE_KINDS: Record<string, OrganisationKind> = {
  ka101: "school",
  ka201: "school",
  ka229: "school",
  "ka220-sch": "school",
  "ka122-sch": "school",
  ka103: "university",
  ka203: "university",
  cbhe: "university",
  "knowledge-alliance": "university",
  "jean-monnet": "university",
  tempus: "university",
  "erasmus-mundus": "university",
  ka105: "civil",
  ka205: "civil",
  ka347: "civil",
  "youth-in-action": "civil",
  sport: "civil",
  "creative-europe-culture": "culture",
  "creative-europe-media": "culture",
  "culture-2007-2013": "culture",
};

const OTHER_KINDS: readonly (readonly [OrganisationKind, number])[] = [
  ["school", 3],
  ["university", 2],
  ["civil", 3],
  ["public", 2],
  ["business", 2],
  ["culture", 1],
  ["other", 1],
];

const RESULT_TYPES = ["Guide", "Curriculum", "Website", "Report", "Video", "Toolkit"];
const FIRST_NAMES = ["Anna", "Jonas", "Maria", "Luca", "Zofia", "Pierre", "Inês", "Eva"];
const LAST_NAMES = ["Novak", "Schmidt", "Rossi", "García", "Kowalska", "Dubois", "Silva"];

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/** Adds whole months to a `YYYY-MM-DD` date and steps back one day (a project's last day). */
function endOfPeriod(start: string, months: number): string {
  const [year, month, day] = start.split("-").map(Number) as [number, number, number];
  const end = new Date(Date.UTC(year, month - 1 + months, day - 1));
  return `${end.getUTCFullYear()}-${pad(end.getUTCMonth() + 1)}-${pad(end.getUTCDate())}`;
}

/** Partner count: the profile's usual range, with a rare long tail up to 100. */
function partnerCount(random: Random, profile: ProgrammeProfile): number {
  const [min, max] = profile.partners;
  if (random.chance(0.002)) return random.int(31, MAX_PARTNERS);
  if (random.chance(0.04)) return random.int(max, 30);
  return random.int(min, max);
}

function pickOptional(random: Random, items: readonly string[]): string | undefined {
  return items.length === 0 ? undefined : random.pick(items);
}

function website(random: Random, host: string): string {
  const scheme = random.chance(0.6) ? "http" : "https";
  return `${scheme}://${host}${random.chance(0.3) ? "/" : ""}`;
}

/** Builds an organisation in a random city of `country`; returns it with the city's name. */
function organisation(
  random: Random,
  country: Country,
  kind: OrganisationKind,
): Organisation & { city: string } {
  const city = random.pick(country.cities);
  const name = organisationName(random, kind, country.language, city.name);
  const postcode = city.postcode.replace(/9/g, () => String(random.int(0, 9)));
  const street = `${random.pick(country.streets)} ${random.int(1, 180)}`;
  const address = random.chance(0.03)
    ? `${street}\r\n${postcode} ${city.name}`
    : `${street}, ${postcode}, ${city.name}`;
  const websites: string[] = [];
  if (random.chance(0.65))
    websites.push(website(random, organisationHost(random, name, country.tld)));
  if (websites.length > 0 && random.chance(0.04)) {
    websites.push(
      website(random, `www.${random.pick(["project", "network", "learn"])}-${city.name.length}.eu`),
    );
  }
  return {
    city: city.name,
    name,
    type: random.chance(0.95) ? random.pick(ORGANISATION_TYPES[kind]) : undefined,
    address: random.chance(0.97) ? address : undefined,
    region: random.chance(0.92) ? city.region : undefined,
    country: country.code,
    websites,
  };
}

function editorial(random: Random, language: string, partners: number) {
  const results: Result[] = [];
  const count = random.int(1, 3);
  for (let i = 0; i < count; i++) {
    const type = random.pick(RESULT_TYPES);
    results.push({
      id: `r${i + 1}`,
      title: `${type} ${i + 1}`,
      description: `${type} produced by the partnership, ready for reuse.`,
      type,
      language,
      // The first result is always published so that every editorial card shows one.
      published: i === 0 || random.chance(0.5),
    });
  }
  const contacts: Contact[] = [];
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const mailbox = `${first}.${last}`.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  contacts.push({
    organisation: "coordinator",
    name: `${first} ${last}`,
    email: `${mailbox}@example.org`,
    role: "Project coordinator",
    public: true,
  });
  if (partners > 0 && random.chance(0.6)) {
    contacts.push({
      organisation: `partner-${random.int(1, partners)}`,
      name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
      phone: `+32 2 ${random.int(100, 999)} ${random.int(10, 99)} ${random.int(10, 99)}`,
      public: false,
    });
  }
  return { results, contacts };
}

/** Builds card number `index` (from 0) of the sample for `seed`. */
export function generateCard(
  seed: string,
  index: number,
  profiles = PROGRAMME_PROFILES,
): CardInput {
  const random = createRandom(`${seed}:${index}`);
  const profile = random.weighted(profiles.map((item) => [item, item.weight] as const));
  const country = random.weighted(COUNTRY_WEIGHTS);
  const agency = profile.management === "national" ? random.pick(country.agencies) : undefined;
  const callYear = random.int(profile.callYears[0], profile.callYears[1]);
  const { id, externalReference } = profile.identifier(
    { callYear, country: country.code, agency, serial: index + 1 },
    random,
  );

  const kind = PROFILE_KINDS[profile.key] ?? random.weighted(OTHER_KINDS);
  const { city, ...coordinator } = organisation(random, country, kind);
  const partners: Organisation[] = [];
  const partnerTotal = partnerCount(random, profile);
  for (let i = 0; i < partnerTotal; i++) {
    const partnerCountry = random.chance(0.3) ? country : random.weighted(ALL_COUNTRIES);
    const partnerKind = random.chance(0.5) ? kind : random.weighted(OTHER_KINDS);
    const { city: _, ...partner } = organisation(random, partnerCountry, partnerKind);
    partners.push(partner);
  }
  const countries = [...new Set([coordinator, ...partners].map((org) => org.country as string))];

  const months = random.int(profile.durationMonths[0], profile.durationMonths[1]);
  const startYear = callYear + (random.chance(0.4) ? 1 : 0);
  const startDate = `${startYear}-${pad(random.int(startYear === callYear ? 6 : 1, 12))}-01`;
  const endDate = endOfPeriod(startDate, months);

  const local = SUMMARY_LANGUAGES.includes(country.language) ? country.language : "en";
  const language = random.chance(0.55) ? "en" : local;
  const { title, summary } = writeText(random, language, {
    org: coordinator.name,
    city,
    months,
  });

  const [low, high] = profile.grant;
  const rawGrant = Math.exp(Math.log(low) + random.next() * (Math.log(high) - Math.log(low)));
  const euGrant = random.chance(0.5) ? Math.round(rawGrant) : Math.round(rawGrant * 100) / 100;

  const topics: string[] = [];
  if (profile.hasTopics) {
    const topicCount = random.int(1, 3);
    for (let i = 0; i < topicCount; i++) topics.push(random.pick(ERASMUS_TOPICS));
  }

  const isCreativeEurope = profile.programme === "Creative Europe";
  const successStory = random.chance(0.01);
  const goodPractice = !isCreativeEurope && (successStory || random.chance(0.045));
  const resultsAvailable = random.chance(0.2);
  const platformBase =
    profile.platform === "creative-europe"
      ? "https://ec.europa.eu/programmes/creative-europe/projects/ce-project-details/#project/"
      : "https://ec.europa.eu/programmes/erasmus-plus/projects/eplus-project-details/#project/";

  const card: CardInput = {
    id,
    programme: profile.programme,
    subProgramme: pickOptional(random, profile.subProgrammes),
    action: pickOptional(random, profile.actions),
    actionType: pickOptional(random, profile.actionTypes),
    callYear,
    externalReference,
    title,
    status: endDate < SAMPLE_AS_OF ? "completed" : "ongoing",
    startDate,
    endDate,
    euGrant: random.chance(0.97) ? euGrant : undefined,
    topics: [...new Set(topics)],
    countries,
    coordinator,
    partners,
    goodPractice,
    successStory,
    resultsAvailable,
    website: random.chance(0.3) ? website(random, `www.${id.length}-${kind}.eu`) : undefined,
    sourceUrl: `${platformBase}${id}`,
    agency: agency ?? "EACEA",
    language,
    summary,
  };

  if (random.chance(0.03)) {
    card.editorial = {
      ...editorial(random, language, partners.length),
      website: random.chance(0.5) ? `https://www.${id.toLowerCase()}.eu/` : undefined,
      review: { state: "approved", updatedAt: `${endDate}T10:00:00.000Z` },
    };
  }
  return card;
}

/** Yields `count` sample cards for `seed`; the same arguments always yield the same cards. */
export function* generateCards(
  count: number,
  seed: string | number = "sample",
  options: GenerateOptions = {},
): Generator<CardInput> {
  const { programmes, lastCallYear } = options;
  const profiles = PROGRAMME_PROFILES.filter(
    (profile) =>
      (programmes === undefined || programmes.includes(profile.programme)) &&
      (lastCallYear === undefined || profile.callYears[1] <= lastCallYear),
  );
  if (profiles.length === 0) {
    throw new Error(
      `no sample profile for programmes ${JSON.stringify(programmes)} with calls up to ${lastCallYear ?? "any year"}: use names such as "Erasmus+" or "Creative Europe"`,
    );
  }
  for (let index = 0; index < count; index++) {
    yield generateCard(String(seed), index, profiles);
  }
}
