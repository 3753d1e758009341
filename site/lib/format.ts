/** Formatting of card values for display: money, dates, countries and summaries. */

const wholeEuros = new Intl.NumberFormat("en-IE", {
  style: "currency",
  currency: "EUR",
  maximumFractionDigits: 0,
});
const euroCents = new Intl.NumberFormat("en-IE", { style: "currency", currency: "EUR" });

/** Formats an amount in euros, such as `€250,000` or `€1,234.50`. */
export function formatEuro(amount: number): string {
  return Number.isInteger(amount) ? wholeEuros.format(amount) : euroCents.format(amount);
}

const dateFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

/** Formats an ISO date (`2021-09-01`) as `1 September 2021`. */
export function formatDate(isoDate: string): string {
  return dateFormat.format(new Date(`${isoDate}T00:00:00Z`));
}

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
/** EU country codes that differ from ISO 3166-1. */
const EU_TO_ISO: Record<string, string> = { EL: "GR", UK: "GB" };

/** Returns the English name of a country given by its EU code (`EL` is Greece). */
export function countryName(code: string): string {
  try {
    return regionNames.of(EU_TO_ISO[code] ?? code) ?? code;
  } catch {
    return code;
  }
}

/** Formats a byte count as `512 bytes`, `1.2 MB` and so on (decimal units). */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  const units = ["kB", "MB", "GB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const languageNames = new Intl.DisplayNames(["en"], { type: "language" });

/** Returns the English name of an ISO 639-1 language code. */
export function languageName(code: string): string {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** A block of a summary: a paragraph of lines (shown with line breaks) or a bulleted list. */
export type SummaryBlock =
  | { kind: "paragraph"; lines: string[] }
  | { kind: "list"; items: string[] };

const BULLET = /^\s*[•\-*]\s+/;

/**
 * Splits a summary into blocks: blank lines separate paragraphs, lines starting with `•`, `-` or
 * `*` become list items, other single line breaks stay line breaks. The text stays plain text, so
 * markup in a summary is shown as written.
 */
export function summaryBlocks(summary: string): SummaryBlock[] {
  const blocks: SummaryBlock[] = [];
  for (const chunk of summary.replace(/\r\n?/g, "\n").split(/\n\s*\n/)) {
    let current: SummaryBlock | undefined;
    for (const rawLine of chunk.split("\n")) {
      const line = rawLine.trim();
      if (line === "") continue;
      if (BULLET.test(line)) {
        if (current?.kind !== "list") {
          current = { kind: "list", items: [] };
          blocks.push(current);
        }
        current.items.push(line.replace(BULLET, ""));
      } else {
        if (current?.kind !== "paragraph") {
          current = { kind: "paragraph", lines: [] };
          blocks.push(current);
        }
        current.lines.push(line);
      }
    }
  }
  return blocks;
}

/** Shortens text to at most `max` characters at a word boundary, adding `…` when cut. */
export function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
