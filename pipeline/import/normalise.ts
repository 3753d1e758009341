/**
 * Pure normalisers for the cell values of the grant-management exports. Each returns either a
 * value or an issue (`{ code, reason }`) that the caller turns into a report entry. None throws.
 */

/** A value that could not be normalised: a stable code and a sentence saying what to fix. */
export interface ValueIssue {
  code: string;
  reason: string;
  /** The part of the cell at fault when it is not the whole cell (one token of a list). */
  value?: string;
}

export type Normalised<T> = { ok: true; value: T } | { ok: false; issue: ValueIssue };

const ok = <T>(value: T): Normalised<T> => ({ ok: true, value });
const fail = (code: string, reason: string, value?: string): Normalised<never> => ({
  ok: false,
  issue: value === undefined ? { code, reason } : { code, reason, value },
});

/** Trims whitespace, NBSP and BOM at both ends, and returns undefined for a blank cell. */
export function cleanText(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  // Most cells need no trimming, and testing two characters is cheaper than the expression.
  if (!isTrimmed(raw.charCodeAt(0)) && !isTrimmed(raw.charCodeAt(raw.length - 1))) return raw;
  const text = raw.replace(TRIMMED_ENDS, "");
  return text === "" ? undefined : text;
}

const TRIMMED_ENDS = /^[\s\u00a0\ufeff\u200b]+|[\s\u00a0\ufeff\u200b]+$/g;
const TRIMMED_CHARACTER = /[\s\u00a0\ufeff\u200b]/;

/** Tells whether `cleanText` trims the character with this UTF-16 code. */
function isTrimmed(code: number): boolean {
  if (code <= 32) return true;
  if (code < 128) return false;
  return TRIMMED_CHARACTER.test(String.fromCharCode(code));
}

/** Like `cleanText`, and turns CRLF and lone CR line ends into LF (addresses, summaries). */
export function cleanMultiline(raw: string | undefined): string | undefined {
  return cleanText(raw?.replace(/\r\n?/g, "\n"));
}

/**
 * Parses an EU grant in euros. Accepts a trailing `EUR` or `€`, numeric spreadsheet cells, and
 * both `1,234.56` and `1.234,56`: when both separators occur the last one is the decimal mark.
 * Commas followed by groups of exactly three digits (`200,000`) separate thousands. A lone dot is
 * always a decimal mark, because the exports write floats such as `200000.0`, so `1.234` is 1.23.
 */
export function parseGrant(raw: string): Normalised<number> {
  const text = raw.replace(/[\s\u00a0\u202f]+/g, "").replace(/^(EUR|€)|(EUR|€)$/gi, "");
  if (text === "") return fail("INVALID_GRANT", "the grant is empty once the currency is removed");

  let canonical: string;
  const lastComma = text.lastIndexOf(",");
  const lastDot = text.lastIndexOf(".");
  if (lastComma !== -1 && lastDot !== -1) {
    const decimal = lastComma > lastDot ? "," : ".";
    const thousands = decimal === "," ? "." : ",";
    canonical = text.split(thousands).join("").replace(decimal, ".");
  } else if (lastComma !== -1) {
    canonical = /^\d{1,3}(,\d{3})+$/.test(text) ? text.replace(/,/g, "") : text.replace(",", ".");
  } else if ((text.match(/\./g) ?? []).length > 1) {
    canonical = /^\d{1,3}(\.\d{3})+$/.test(text) ? text.replace(/\./g, "") : text;
  } else {
    canonical = text;
  }

  if (!/^\d+(\.\d+)?$/.test(canonical)) {
    return fail("INVALID_GRANT", "expected an amount in euros such as 200000.00 or 1.234,56");
  }
  const amount = Math.round(Number(canonical) * 100) / 100;
  if (!Number.isFinite(amount) || amount > 1e11) {
    return fail("INVALID_GRANT", "the amount is out of range for an EU grant in euros");
  }
  return ok(amount);
}

const MS_PER_DAY = 86_400_000;
/** Day 0 of the Excel 1900 date system as used by every modern spreadsheet (1899-12-30). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

function isoFromParts(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1) return undefined;
  if (date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/**
 * Parses a date to `YYYY-MM-DD`. Accepts ISO dates (a time part is ignored), `dd/mm/yyyy` and
 * `dd.mm.yyyy` (the exports are European, so day first), and Excel serial numbers (41921 is
 * 2014-10-09). Two-digit years are rejected because parsers have turned them into US `m/d/yy`.
 */
export function parseDate(raw: string): Normalised<string> {
  const text = raw.trim();
  let iso: string | undefined;

  const isoMatch = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$/.exec(text);
  const dayFirst = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(text);
  const serial = /^\d{1,6}(\.\d+)?$/.test(text) ? Number(text) : undefined;

  if (isoMatch) {
    iso = isoFromParts(Number(isoMatch[1]), Number(isoMatch[2]), Number(isoMatch[3]));
  } else if (dayFirst) {
    iso = isoFromParts(Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1]));
  } else if (serial !== undefined && serial >= 1 && serial < 100_000) {
    iso = new Date(EXCEL_EPOCH_MS + Math.floor(serial) * MS_PER_DAY).toISOString().slice(0, 10);
  } else if (/^\d{1,2}[/.]\d{1,2}[/.]\d{2}$/.test(text)) {
    return fail("INVALID_DATE", "two-digit years are ambiguous: write the date as dd/mm/yyyy");
  }

  if (iso === undefined) {
    return fail("INVALID_DATE", "expected a date as dd/mm/yyyy, YYYY-MM-DD or a spreadsheet date");
  }
  const year = Number(iso.slice(0, 4));
  if (year < 1950 || year > 2100) {
    return fail("INVALID_DATE", "the year is outside 1950-2100");
  }
  return ok(iso);
}

/** Parses a call or funding year (`2014`, or `2014.0` from a numeric spreadsheet cell). */
export function parseYear(raw: string): Normalised<number> {
  const match = /^(\d{4})(\.0+)?$/.exec(raw.trim());
  const year = match ? Number(match[1]) : Number.NaN;
  if (!(year >= 1950 && year <= 2100)) {
    return fail("INVALID_YEAR", "expected a four-digit year between 1950 and 2100");
  }
  return ok(year);
}

/** Parses a `Yes`/`No` flag; also accepts true/false, Y/N and 1/0 in any case. */
export function parseFlag(raw: string): Normalised<boolean> {
  const text = raw.trim().toLowerCase();
  if (["yes", "y", "true", "1", "oui", "ja"].includes(text)) return ok(true);
  if (["no", "n", "false", "0", "non", "nein"].includes(text)) return ok(false);
  return fail("INVALID_FLAG", "expected Yes or No");
}

/** Maps the export statuses to the card's two states; `finalized`, `closed` and the like end. */
export function parseStatus(raw: string): Normalised<"ongoing" | "completed"> {
  const text = raw.trim().toLowerCase();
  if (["ongoing", "open", "active", "running", "signed"].includes(text)) return ok("ongoing");
  if (["finalized", "finalised", "completed", "closed", "ended", "terminated"].includes(text)) {
    return ok("completed");
  }
  return fail("INVALID_STATUS", "expected a status such as ongoing, finalized or closed");
}

/**
 * Countries that the exports sometimes write with ISO 3166 codes, mapped to the EU convention
 * the rest of the data uses.
 */
const EU_COUNTRY_CODES: Record<string, string> = { GB: "UK", GR: "EL" };

/** Normalises one country code: trimmed, two upper-case letters, GB/GR as UK/EL. */
export function parseCountry(raw: string): Normalised<string> {
  const text = raw.replace(/[\s\u00a0]+/g, "");
  if (!/^[A-Z]{2}$/.test(text)) {
    return fail("INVALID_COUNTRY", "expected a two-letter country code such as BE or EL", text);
  }
  return ok(EU_COUNTRY_CODES[text] ?? text);
}

/**
 * Splits a country list (`BE, NL,FR ,DK ,DK`) into unique codes in their first order. Tokens
 * that are not codes (`Box`, `No`) are left out and returned as issues.
 */
export function parseCountryList(raw: string): { value: string[]; issues: ValueIssue[] } {
  const codes: string[] = [];
  const issues: ValueIssue[] = [];
  for (const token of raw.split(/[,;]/)) {
    if (token.trim() === "") continue;
    const country = parseCountry(token);
    if (!country.ok) issues.push(country.issue);
    else if (!codes.includes(country.value)) codes.push(country.value);
  }
  return { value: codes, issues };
}

/** Splits a `; `-separated list, trimming each entry and dropping blanks and repeats. */
export function parseList(raw: string, separator: RegExp = /;/): string[] {
  const items: string[] = [];
  for (const part of raw.split(separator)) {
    const item = cleanText(part);
    if (item !== undefined && !items.includes(item)) items.push(item);
  }
  return items;
}

const EMAIL = /^(mailto:)?[^\s@/]+@[^\s@/]+\.[^\s@/]+$/i;
/** Words and marks that people put between two addresses in one cell. */
const SEPARATOR_TOKENS = new Set(["/", "-", "+", "|", "&", "and", "or", "et", "und"]);
const HOST_AND_PATH = /^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+(:\d+)?([/?#].*)?$/u;

/** Hides the local part of an e-mail address so the report does not repeat personal data. */
export function redactEmail(text: string): string {
  return text.replace(/[^\s@/;,:]+@/g, "***@");
}

/**
 * Extracts the web addresses from a website cell. Several addresses may share a cell (`a; b`,
 * `a / b`, `a, b`, `a and b`). Addresses without a scheme get `http://`, and common typos are
 * repaired (`http:// www.x.it`, `htttp://`, `http:www.x`). E-mail addresses are never kept, and
 * come back as `EMAIL_IN_WEBSITE` issues with the local part hidden.
 */
export function parseWebsites(raw: string): { value: string[]; issues: ValueIssue[] } {
  const urls: string[] = [];
  const issues: ValueIssue[] = [];
  const text = raw
    .replace(/\u00a0/g, " ")
    .replace(/\b(h?t+ps?):\/*\s+(?=\S)/gi, "$1://")
    .replace(/(https?:\/\/)+(https?:\/\/)/gi, "$2");

  for (const token of text.split(/[\s;,]+/)) {
    const candidate = token.replace(/^[("'<[]+|[)"'>\].]+$/g, "");
    if (candidate === "" || SEPARATOR_TOKENS.has(candidate.toLowerCase())) continue;
    if (EMAIL.test(candidate)) {
      issues.push({
        code: "EMAIL_IN_WEBSITE",
        reason: "an e-mail address is not a website and is not published",
        value: redactEmail(candidate),
      });
      continue;
    }
    const url = toHttpUrl(candidate);
    if (url === undefined) {
      issues.push({
        code: "INVALID_WEBSITE",
        reason: "expected a web address such as www.example.eu or https://example.eu",
        value: candidate,
      });
    } else if (!urls.includes(url)) {
      urls.push(url);
    }
  }
  return { value: urls, issues };
}

/** Turns one address into an absolute http(s) URL, or undefined when it is not one. */
export function toHttpUrl(text: string): string | undefined {
  const repaired = text.replace(/^h?t+p(s?):\/{0,3}(?=[^/])/i, "http$1://");
  const withScheme = /^https?:\/\//i.test(repaired) ? repaired : `http://${repaired}`;
  const afterScheme = withScheme.replace(/^https?:\/\//i, "");
  if (!HOST_AND_PATH.test(afterScheme)) return undefined;
  const host = afterScheme.split(/[/?#:]/)[0] ?? "";
  const topLevel = host.slice(host.lastIndexOf(".") + 1);
  if (!/^(\p{L}{2,}|xn--[a-z0-9-]+)$/iu.test(topLevel)) return undefined;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  } catch {
    return undefined;
  }
  return withScheme.replace(/^https?/i, (scheme) => scheme.toLowerCase());
}

/** Parses the platform's project-card link; spaces (seen in legacy identifiers) become `%20`. */
export function parseSourceUrl(raw: string): Normalised<string> {
  const text = raw.trim().replace(/ /g, "%20");
  try {
    const url = new URL(text);
    if (url.protocol === "http:" || url.protocol === "https:") return ok(text);
  } catch {
    // Reported below.
  }
  return fail("INVALID_URL", "expected an absolute http(s) link to the project card");
}
