/**
 * Turns one export row into the contractual part and summary of a project card.
 *
 * A bad value in an optional field drops that field and adds a warning. A row without an
 * identifier, title or programme is rejected. The function is pure: no file or clock access.
 */
import { type CardInput, contractualSchema, type Organisation } from "../card/index.ts";
import { agencyOf, splitProgrammePath, yearInReference } from "./derive.ts";
import { guessLanguage } from "./language.ts";
import type { ColumnRef, FieldKey, Layout, PartnerColumns } from "./layout.ts";
import {
  cutAtWordBoundary,
  escapeControlCharacters,
  FIELD_LIMITS,
  identifierProblem,
} from "./limits.ts";
import {
  cleanMultiline,
  cleanText,
  type Normalised,
  parseCountry,
  parseCountryList,
  parseDate,
  parseFlag,
  parseGrant,
  parseList,
  parseSourceUrl,
  parseStatus,
  parseWebsites,
  parseYear,
  type ValueIssue,
} from "./normalise.ts";
import type { ExportRow } from "./reader.ts";

/** A problem with one row: `rejected` drops the row, `warning` drops only the value named. */
export interface RowIssue {
  severity: "rejected" | "warning";
  code: string;
  reason: string;
  column?: ColumnRef;
  value?: string;
}

/** The card's contractual part and summary, without the editorial part. */
export type ImportedCard = Omit<CardInput, "editorial">;

export type MappedRow =
  | { ok: true; card: ImportedCard; issues: RowIssue[] }
  | { ok: false; issues: RowIssue[] };

/** Link to a 2021-2027 project on the current platform, for exports without a card column. */
const CURRENT_CARD_URL = "https://erasmus-plus.ec.europa.eu/projects/search/details/";

/** Maps an export row to a card, with the issues found on the way. */
export function rowToCard(row: ExportRow, layout: Layout): MappedRow {
  const issues: RowIssue[] = [];
  const { columns } = layout;
  const raw = (field: FieldKey): string | undefined => {
    const column = columns[field];
    return column === undefined ? undefined : row.values[column.header];
  };
  const warn = (column: ColumnRef | undefined, value: string, issue: ValueIssue) => {
    issues.push({ severity: "warning", ...issue, column, value: issue.value ?? value });
  };
  // Some fields are read twice; each cut is reported once.
  const cutFields = new Set<FieldKey>();
  const text = (field: FieldKey): string | undefined => {
    const value = cleanText(raw(field));
    if (field === "identifier" || value === undefined) return value;
    const max = field === "title" ? FIELD_LIMITS.title : FIELD_LIMITS.other;
    if (value.length <= max) return value;
    if (!cutFields.has(field)) {
      cutFields.add(field);
      return limitLength(columns[field], value, max, warn);
    }
    return cutAtWordBoundary(value, max);
  };
  const parsed = <T>(field: FieldKey, parse: (value: string) => Normalised<T>): T | undefined => {
    const value = text(field);
    if (value === undefined) return undefined;
    const result = parse(value);
    if (result.ok) return result.value;
    warn(columns[field], value, result.issue);
    return undefined;
  };
  const reject = (field: FieldKey, code: string, reason: string) => {
    issues.push({ severity: "rejected", code, reason, column: columns[field], value: raw(field) });
  };

  // Required fields.
  const id = text("identifier");
  const title = text("title");
  if (id === undefined)
    reject("identifier", "MISSING_IDENTIFIER", "the project identifier is empty");
  if (title === undefined) reject("title", "MISSING_TITLE", "the project title is empty");

  const programmePath = programmeOf(layout, text);
  if (programmePath === undefined) {
    const field = layout.kind === "legacy-programmes" ? "programmeFunding" : "programme";
    reject(field, "MISSING_PROGRAMME", "the programme is empty");
  }
  if (id === undefined || title === undefined || programmePath === undefined) {
    return { ok: false, issues };
  }
  const idProblem = identifierProblem(id);
  if (idProblem !== undefined) {
    const shown = escapeControlCharacters(id);
    issues.push({
      severity: "rejected",
      code: "INVALID_IDENTIFIER",
      reason: `${idProblem}: "${shown.length > 100 ? `${shown.slice(0, 99)}…` : shown}"; correct the identifier in the grant-management system and export again`,
      column: columns.identifier,
      value: shown,
    });
    return { ok: false, issues };
  }

  // Optional fields: a bad value is dropped with a warning.
  const externalReference = text("externalReference");
  const startDate = parsed("startDate", parseDate);
  const endDate = parsed("endDate", parseDate);
  if (startDate !== undefined && endDate !== undefined && endDate < startDate) {
    warn(columns.endDate, endDate, {
      code: "END_BEFORE_START",
      reason: `the end date is before the start date ${startDate}; the dates are kept as written`,
    });
  }
  const callYear =
    parsed("callYear", parseYear) ??
    yearInReference(id) ??
    (externalReference === undefined ? undefined : yearInReference(externalReference)) ??
    (startDate === undefined ? undefined : Number(startDate.slice(0, 4)));

  const summaryText = cleanMultiline(raw("summary")) ?? "";
  const summary = limitLength(columns.summary, summaryText, FIELD_LIMITS.summary, warn);
  const countries = listOf(columns.countries, text("countries"), parseCountryList, warn);
  const websites = listOf(columns.website, text("website"), parseWebsites, warn);
  if (websites.length > 1) {
    warn(columns.website, text("website") ?? "", {
      code: "EXTRA_WEBSITES",
      reason: `the card has one project website, so only ${websites[0]} is kept`,
    });
  }

  const card: ImportedCard = {
    id,
    programme: programmePath.programme,
    subProgramme: programmePath.subProgramme,
    action: programmePath.action,
    actionType: text("actionType"),
    callYear,
    externalReference,
    nationalIdentifier: text("nationalIdentifier"),
    title,
    status: parsed("status", parseStatus),
    startDate,
    endDate,
    euGrant: parsed("euGrant", parseGrant),
    topics: parseList(text("topics") ?? ""),
    countries,
    coordinator: coordinatorOf(row, layout, warn),
    partners: partnersOf(row, layout, warn),
    goodPractice: parsed("goodPractice", parseFlag) ?? false,
    successStory: parsed("successStory", parseFlag) ?? false,
    resultsAvailable: parsed("resultsAvailable", parseFlag) ?? false,
    website: websites[0],
    sourceUrl: parsed("sourceUrl", parseSourceUrl) ?? defaultSourceUrl(layout, id),
    agency: agencyOf(id),
    language: guessLanguage(summary === "" ? title : summary),
    summary,
  };
  return validate(card, layout, issues);
}

function programmeOf(
  layout: Layout,
  text: (field: FieldKey) => string | undefined,
): { programme: string; subProgramme?: string; action?: string } | undefined {
  if (layout.kind === "legacy-programmes") {
    const path = text("programmeFunding");
    return path === undefined ? undefined : splitProgrammePath(path);
  }
  const programme = text("programme");
  if (programme === undefined) return undefined;
  return { programme, subProgramme: text("subProgramme"), action: text("action") };
}

function defaultSourceUrl(layout: Layout, id: string): string | undefined {
  if (layout.kind !== "erasmus-plus-2021-2027" || layout.columns.sourceUrl) return undefined;
  return CURRENT_CARD_URL + encodeURIComponent(id);
}

type Warn = (column: ColumnRef | undefined, value: string, issue: ValueIssue) => void;

/** Cuts a value longer than `max` at a word boundary and warns with its original length. */
function limitLength(column: ColumnRef | undefined, value: string, max: number, warn: Warn) {
  if (value.length <= max) return value;
  const cut = cutAtWordBoundary(value, max);
  warn(column, value, {
    code: "FIELD_TRUNCATED",
    reason: `the value has ${value.length} characters, more than the maximum of ${max}; it is cut at a word boundary to ${cut.length} characters`,
  });
  return cut;
}

function limitedText(column: ColumnRef | undefined, value: string | undefined, warn: Warn) {
  return value === undefined ? undefined : limitLength(column, value, FIELD_LIMITS.other, warn);
}

function listOf(
  column: ColumnRef | undefined,
  value: string | undefined,
  parse: (value: string) => { value: string[]; issues: ValueIssue[] },
  warn: Warn,
): string[] {
  if (value === undefined) return [];
  const result = parse(value);
  for (const issue of result.issues) warn(column, value, issue);
  return result.value;
}

type OrganisationColumns = Omit<PartnerColumns, "number">;

function organisationOf(
  row: ExportRow,
  columns: OrganisationColumns,
  warn: Warn,
): Organisation | undefined {
  const cell = (column: ColumnRef | undefined) =>
    column === undefined ? undefined : row.values[column.header];
  const name = limitedText(columns.name, cleanText(cell(columns.name)), warn);
  if (name === undefined) return undefined;

  const organisation: Organisation = {
    name,
    type: limitedText(columns.type, cleanText(cell(columns.type)), warn),
    address: limitedText(columns.address, cleanMultiline(cell(columns.address)), warn),
    region: limitedText(columns.region, cleanText(cell(columns.region)), warn),
    websites: listOf(columns.website, cleanText(cell(columns.website)), parseWebsites, warn),
  };
  const country = cleanText(cell(columns.country));
  if (country !== undefined) {
    const parsed = parseCountry(country);
    if (parsed.ok) organisation.country = parsed.value;
    else warn(columns.country, country, parsed.issue);
  }
  return organisation;
}

function coordinatorOf(row: ExportRow, layout: Layout, warn: Warn): Organisation | undefined {
  const { columns } = layout;
  const coordinatorColumns: OrganisationColumns = {
    name: columns.coordinatorName,
    type: columns.coordinatorType,
    address: columns.coordinatorAddress,
    region: columns.coordinatorRegion,
    country: columns.coordinatorCountry,
    website: columns.coordinatorWebsite,
  };
  const coordinator = organisationOf(row, coordinatorColumns, warn);
  if (coordinator === undefined) warnIfNameless(row, coordinatorColumns, "the coordinator", warn);
  return coordinator;
}

/**
 * Reads the partner groups. Trailing empty groups end the list. An empty or nameless group
 * before a filled one is skipped, and the partners after it keep their export number in `number`.
 * Only the groups with a filled cell are visited, because most of the 100 groups are empty.
 */
function partnersOf(row: ExportRow, layout: Layout, warn: Warn): Organisation[] {
  const filled = new Set<number>();
  for (const header in row.values) {
    const number = layout.partnerOfHeader.get(header);
    if (number !== undefined && cleanText(row.values[header]) !== undefined) filled.add(number);
  }
  const partners: Organisation[] = [];
  for (const group of layout.partners) {
    if (!filled.has(group.number)) continue;
    const { number, ...columns } = group;
    const partner = organisationOf(row, columns, warn);
    if (partner === undefined) {
      warnIfNameless(row, columns, `partner ${number}`, warn);
      continue;
    }
    if (number !== partners.length + 1) partner.number = number;
    partners.push(partner);
  }
  return partners;
}

function warnIfNameless(
  row: ExportRow,
  columns: OrganisationColumns,
  organisationLabel: string,
  warn: Warn,
) {
  const filled = Object.values(columns).find(
    (column) => column !== undefined && cleanText(row.values[column.header]) !== undefined,
  );
  if (filled === undefined) return;
  warn(columns.name ?? filled, "", {
    code: "MISSING_ORGANISATION_NAME",
    reason: `${organisationLabel} has details but no name, so it is left out`,
  });
}

/** Checks the card against the schema; a failing optional field is dropped with a warning. */
function validate(card: ImportedCard, layout: Layout, issues: RowIssue[]): MappedRow {
  const record = card as Record<string, unknown>;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const result = contractualSchema.safeParse(card);
    if (result.success) return { ok: true, card, issues };

    const first = result.error.issues[0];
    const key = String(first?.path[0] ?? "");
    const reason = `${first?.path.join(".")}: ${first?.message}`;
    if (["id", "title", "programme", "agency"].includes(key) || !(key in record)) {
      const column = key === "id" ? layout.columns.identifier : layout.columns[key as FieldKey];
      const value = typeof record[key] === "string" ? (record[key] as string) : undefined;
      issues.push({ severity: "rejected", code: "INVALID_CARD", reason, column, value });
      return { ok: false, issues };
    }
    issues.push({
      severity: "warning",
      code: "INVALID_VALUE",
      reason,
      column: layout.columns[key as FieldKey],
      value: JSON.stringify(record[key]),
    });
    delete record[key];
  }
  issues.push({ severity: "rejected", code: "INVALID_CARD", reason: "too many invalid fields" });
  return { ok: false, issues };
}
