/**
 * Atom feed of the 50 newest cards: the most recent call year first, then the latest end date
 * (see `newestFirst`), because cards carry no publication date.
 */
import { readCardFile } from "../../pipeline/card/index.ts";
import { catalogueOf, newestCards } from "../lib/catalogue.ts";
import { excerpt } from "../lib/format.ts";

const FEED_SIZE = 50;

function escapeXml(text: string): string {
  return (
    text
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      // Characters XML 1.0 does not allow, which imported text may still contain.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
  );
}

/** Returns the time of an entry: its end date, else 1 January of its call year. */
function entryTime(endDate: string | undefined, callYear: number | undefined): string {
  if (endDate) return `${endDate}T00:00:00Z`;
  return `${callYear ?? 1970}-01-01T00:00:00Z`;
}

export async function GET({
  site,
  locals,
}: {
  site: URL | undefined;
  locals?: object;
}): Promise<Response> {
  const base = site ?? new URL("http://127.0.0.1:4321");
  const newest = newestCards(await catalogueOf(locals)).slice(0, FEED_SIZE);
  const entries: string[] = [];
  for (const entry of newest) {
    const card = await readCardFile(entry.file);
    const url = new URL(entry.url, base).href;
    entries.push(
      [
        "  <entry>",
        `    <id>${escapeXml(url)}</id>`,
        `    <title>${escapeXml(card.title)}</title>`,
        `    <link rel="alternate" type="text/html" href="${escapeXml(url)}"/>`,
        `    <updated>${entryTime(card.endDate, card.callYear)}</updated>`,
        `    <category term="${escapeXml(card.programme)}"/>`,
        card.summary ? `    <summary>${escapeXml(excerpt(card.summary, 500))}</summary>` : "",
        "  </entry>",
      ]
        .filter((line) => line !== "")
        .join("\n"),
    );
  }
  const times = newest.map((entry) => entryTime(entry.endDate, entry.callYear)).sort();
  const updated = times.at(-1) ?? "1970-01-01T00:00:00Z";
  const xml = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    "  <title>EU project results: newest project cards</title>",
    `  <id>${escapeXml(new URL("/feed.xml", base).href)}</id>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(new URL("/feed.xml", base).href)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(base.href)}"/>`,
    `  <updated>${updated}</updated>`,
    "  <author><name>European Commission</name></author>",
    "  <rights>© European Union, CC BY 4.0</rights>",
    ...entries,
    "</feed>",
    "",
  ].join("\n");
  return new Response(xml, { headers: { "Content-Type": "application/atom+xml; charset=utf-8" } });
}
