/**
 * The Erasmus+ 2014-2020 export layout: 22 project columns, then six columns for each of 100
 * partners (622 columns). The header names are those of the platform's 2018 CSV exports, so
 * files written here open in tools built for those exports.
 */
import { type CardInput, effectiveLabels } from "../card/index.ts";

type OrganisationInput = NonNullable<CardInput["coordinator"]>;

export const GRANT_HEADER =
  "EU Grant award in euros (This amount represents the grant awarded after the selection stage and is indicative. Please note that any changes made during or after the project's lifetime will not be reflected here.)";

export const PROJECT_HEADERS: readonly string[] = [
  "Programme",
  "Key Action",
  "Action Type",
  "Call year",
  "Project Identifier",
  "Project Title",
  "Topics",
  "Project Summary",
  "Project Status",
  GRANT_HEADER,
  "Is Good Practice",
  "Is Success Story",
  "Project Website",
  "Results Available",
  "Results Platform Project Card",
  "Participating countries",
  "Coordinating organisation name",
  "Coordinating organisation type",
  "Coordinator's address",
  "Coordinator's region",
  "Coordinator's country",
  "Coordinator's website",
];

/** Partners the layout has columns for; further partners of a card are left out. */
export const MAX_LAYOUT_PARTNERS = 100;

const PARTNER_FIELDS = ["name", "organisation type", "address", "region", "country", "website"];

export const ERASMUS_PLUS_HEADERS: readonly string[] = [
  ...PROJECT_HEADERS,
  ...Array.from({ length: MAX_LAYOUT_PARTNERS }, (_, index) =>
    PARTNER_FIELDS.map((field) => `Partner ${index + 1} ${field}`),
  ).flat(),
];

export type RowOptions = {
  /** URL for the `Results Platform Project Card` column; defaults to the card's `sourceUrl`. */
  cardUrl?: (card: CardInput) => string | undefined;
  /** Whether published results count as `Results Available` (true for the open-data export). */
  countPublishedResults?: boolean;
};

const yesNo = (flag: boolean | undefined) => (flag ? "Yes" : "No");

function organisationCells(organisation: OrganisationInput | undefined): string[] {
  if (!organisation) return ["", "", "", "", "", ""];
  return [
    organisation.name,
    organisation.type ?? "",
    organisation.address ?? "",
    organisation.region ?? "",
    organisation.country ?? "",
    (organisation.websites ?? []).join("; "),
  ];
}

/**
 * Builds the 622 cells of a card in the Erasmus+ layout. Status `completed` is written as the
 * exports' `finalized`, the grant with two decimals, topics `; `-separated and countries
 * `,`-separated. Cards of other programmes put their sub-programme under `Key Action` and their
 * action type (or action) under `Action Type`.
 */
export function erasmusPlusRow(card: CardInput, options: RowOptions = {}): string[] {
  const results = card.editorial?.results ?? [];
  const hasPublishedResult =
    options.countPublishedResults === true && results.some((result) => result.published);
  const cardUrl = options.cardUrl ? options.cardUrl(card) : card.sourceUrl;
  const status = card.status === "completed" ? "finalized" : (card.status ?? "");
  const labels = effectiveLabels({
    goodPractice: card.goodPractice ?? false,
    successStory: card.successStory ?? false,
    editorial: card.editorial,
  });

  const row = [
    card.programme,
    card.subProgramme ?? "",
    card.actionType ?? card.action ?? "",
    card.callYear === undefined ? "" : String(card.callYear),
    card.id,
    card.title,
    (card.topics ?? []).join("; "),
    card.summary ?? "",
    status,
    card.euGrant === undefined ? "" : card.euGrant.toFixed(2),
    yesNo(labels.goodPractice),
    yesNo(labels.successStory),
    card.website ?? "",
    yesNo(card.resultsAvailable || hasPublishedResult),
    cardUrl ?? "",
    (card.countries ?? []).join(","),
    ...organisationCells(card.coordinator),
  ];
  // A partner goes to the `Partner N` columns of its `number` when it has one, else to those of
  // its position, so the gaps of the source export come back.
  const slots: (OrganisationInput | undefined)[] = new Array(MAX_LAYOUT_PARTNERS);
  (card.partners ?? []).forEach((partner, index) => {
    const slot = (partner.number ?? index + 1) - 1;
    if (slot < MAX_LAYOUT_PARTNERS && slots[slot] === undefined) slots[slot] = partner;
  });
  for (let index = 0; index < MAX_LAYOUT_PARTNERS; index++) {
    row.push(...organisationCells(slots[index]));
  }
  return row;
}
