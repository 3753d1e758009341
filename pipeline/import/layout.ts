/**
 * Recognises the export layouts from their header row.
 *
 * Four generations of headers are known: Erasmus+ 2014-2020 (`Key Action`, `Action Type`),
 * Creative Europe (`Sub-programme`, `Project Number`), the legacy programmes of 2007-2013 (one
 * `Programme Funding` backslash path) and the current 2021-2027 lists (`Funding Year`,
 * `Project or accreditation status`). Headers are compared after `normaliseHeader`, and the long
 * grant header only by its start, because its wording changes between exports.
 */

/** Lower case, straight apostrophes, single spaces, no BOM or NBSP. */
export function normaliseHeader(header: string): string {
  return header
    .replace(/^\ufeff/, "")
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\s\u00a0]+/g, " ")
    .trim()
    .toLowerCase();
}

/** Spreadsheet column letter for a zero-based index: 0 is A, 26 is AA. */
export function columnLetter(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/** One column of the export: the header as written, its zero-based index and its letter. */
export interface ColumnRef {
  header: string;
  index: number;
  letter: string;
}

const FIELD_HEADERS = {
  programme: ["programme"],
  programmeFunding: ["programme funding"],
  subProgramme: ["key action", "sub-programme", "sub programme"],
  action: ["action"],
  actionType: ["action type", "activity type", "activity types"],
  callYear: ["call year", "funding year"],
  startDate: ["start date", "project start date"],
  endDate: ["end date", "project end date"],
  identifier: ["project identifier", "project number"],
  externalReference: ["external reference"],
  nationalIdentifier: ["national identifier"],
  title: ["project title"],
  topics: ["topics"],
  summary: ["project summary"],
  status: ["project status", "project or accreditation status"],
  euGrant: [],
  goodPractice: ["is good practice"],
  successStory: ["is success story"],
  website: ["project website"],
  resultsAvailable: ["results available"],
  sourceUrl: ["results platform project card"],
  countries: ["participating countries"],
  coordinatorName: ["coordinating organisation name", "coordinator's name", "coordinator name"],
  coordinatorType: [
    "coordinating organisation type",
    "coordinator organisation type",
    "coordinator's organisation type",
  ],
  coordinatorAddress: ["coordinator's address", "coordinating organisation address"],
  coordinatorRegion: ["coordinator's region", "coordinating organisation region"],
  coordinatorCountry: ["coordinator's country", "coordinating organisation country"],
  coordinatorWebsite: ["coordinator's website", "coordinating organisation website"],
} satisfies Record<string, string[]>;

export type FieldKey = keyof typeof FIELD_HEADERS;

/** Header prefixes matched by `startsWith`, for headers whose wording varies. */
const FIELD_PREFIXES: Partial<Record<FieldKey, string>> = { euGrant: "eu grant award" };

const PARTNER_HEADER = /^partner (\d+) (name|organisation type|address|region|country|website)$/;
const PARTNER_PARTS = {
  name: "name",
  "organisation type": "type",
  address: "address",
  region: "region",
  country: "country",
  website: "website",
} as const;
type PartnerPart = (typeof PARTNER_PARTS)[keyof typeof PARTNER_PARTS];

/** The columns of partner N (`Partner N name`, …); legacy exports have no type and region. */
export type PartnerColumns = { number: number } & Partial<Record<PartnerPart, ColumnRef>>;

export type LayoutKind =
  | "erasmus-plus-2014-2020"
  | "creative-europe"
  | "legacy-programmes"
  | "erasmus-plus-2021-2027";

export interface Layout {
  kind: LayoutKind;
  columns: Partial<Record<FieldKey, ColumnRef>>;
  /** Partner column groups in ascending partner number. */
  partners: PartnerColumns[];
  /** Partner number of each partner column, by header, to find the filled groups of a row fast. */
  partnerOfHeader: Map<string, number>;
  headerCount: number;
}

/** A header row that is not a known export: the required columns it lacks, in words. */
export interface LayoutError {
  code: "NOT_AN_EXPORT";
  missing: string[];
  message: string;
}

const REQUIRED: { label: string; anyOf: FieldKey[] }[] = [
  { label: "Project Identifier (or Project Number)", anyOf: ["identifier"] },
  { label: "Project Title", anyOf: ["title"] },
  { label: "Programme (or Programme Funding)", anyOf: ["programme", "programmeFunding"] },
];

function matchField(normalised: string): FieldKey | undefined {
  for (const [field, names] of Object.entries(FIELD_HEADERS) as [FieldKey, string[]][]) {
    if (names.includes(normalised)) return field;
  }
  for (const [field, prefix] of Object.entries(FIELD_PREFIXES) as [FieldKey, string][]) {
    if (normalised.startsWith(prefix)) return field;
  }
  return undefined;
}

/** Detects the layout of a header row, or names the required columns that are missing. */
export function detectLayout(headers: readonly string[]): Layout | LayoutError {
  const columns: Layout["columns"] = {};
  const partners = new Map<number, PartnerColumns>();
  const partnerOfHeader = new Map<string, number>();
  const present = new Set<string>();

  headers.forEach((header, index) => {
    const normalised = normaliseHeader(header);
    present.add(normalised);
    const ref: ColumnRef = { header, index, letter: columnLetter(index) };
    const partner = PARTNER_HEADER.exec(normalised);
    if (partner) {
      const number = Number(partner[1]);
      const group = partners.get(number) ?? { number };
      const part = PARTNER_PARTS[partner[2] as keyof typeof PARTNER_PARTS];
      group[part] ??= ref;
      partners.set(number, group);
      partnerOfHeader.set(header, number);
      return;
    }
    const field = matchField(normalised);
    if (field !== undefined) columns[field] ??= ref;
  });

  const missing = REQUIRED.filter((rule) => rule.anyOf.every((field) => !columns[field])).map(
    (rule) => rule.label,
  );
  if (missing.length > 0) {
    return {
      code: "NOT_AN_EXPORT",
      missing,
      message: `not a project export: missing required column(s) ${missing.join(", ")}; use a Projects Overview export (CSV or XLSX) from the project results platform`,
    };
  }

  let kind: LayoutKind;
  if (columns.programmeFunding) kind = "legacy-programmes";
  else if (present.has("funding year") || present.has("project or accreditation status")) {
    kind = "erasmus-plus-2021-2027";
  } else if (present.has("sub-programme") || present.has("project number"))
    kind = "creative-europe";
  else kind = "erasmus-plus-2014-2020";

  const groups = [...partners.values()].sort((a, b) => a.number - b.number);
  return { kind, columns, partners: groups, partnerOfHeader, headerCount: headers.length };
}

export function isLayoutError(value: Layout | LayoutError): value is LayoutError {
  return "code" in value;
}
