/**
 * fast-check generators for the importer's fuzz tests: export files built from a real header row
 * and random rows, written as raw bytes so they can hold invalid UTF-8 and broken quoting.
 */
import fc from "fast-check";

/** One generated export: its bytes and what the generator chose, for the failure output. */
export interface FuzzedExport {
  bytes: Buffer;
  delimiter: string;
  lineEnd: string;
}

/** Characters that stress the CSV tokenizer and the text cleaning. */
const TRICKY_CHARACTERS = [
  '"',
  ";",
  ",",
  "\r",
  "\n",
  "\t",
  "\u0000",
  "\ufeff",
  "\u00a0",
  "\u200b",
  " ",
  "é",
  "ß",
  "€",
  "😀",
  "\ud800",
  "/",
  "\\",
  ".",
  "a",
  "Z",
  "1",
  "-",
];

const trickyText = (maxLength: number) =>
  fc
    .array(fc.constantFrom(...TRICKY_CHARACTERS), { maxLength })
    .map((characters) => characters.join(""));

/** Identifiers: real-looking ones, reused ones from `knownIds`, and hostile ones. */
export function identifierArbitrary(knownIds: string[] = []): fc.Arbitrary<string> {
  const realLooking = fc
    .integer({ min: 1, max: 40 })
    .map((n) => `2014-1-DE03-KA101-${String(n).padStart(6, "0")}`);
  const options = [
    realLooking,
    fc.constantFrom("", " ", "\u00a0", ".", "..", "a/b", "x\\y", "id\u0000nul", "2014-1-ÉÉ-1"),
    trickyText(12),
    fc.string({ unit: "grapheme", maxLength: 20 }),
  ];
  if (knownIds.length > 0) options.push(fc.constantFrom(...knownIds));
  return fc.oneof(...options);
}

/** Any cell: empty, short tricky text, Unicode text, or a long run. */
export const cellArbitrary: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constant("") },
  { weight: 5, arbitrary: trickyText(16) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 24 }) },
  { weight: 2, arbitrary: fc.constantFrom("Erasmus+", "KA2", "2015", "2019-02-28", "DE, FR") },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("word ", "x", '"', "é"), fc.integer({ min: 2_000, max: 12_000 }))
      .map(([unit, count]) => unit.repeat(count)),
  },
);

/** A row: the first cells in header order, then whether it fills or overruns the header. */
export interface RowPlan {
  cells: string[];
  tail: "none" | "fill" | "overrun";
  /** Cell quoting: `quoted` escapes quotes, `raw` writes the text as it is, `mixed` alternates. */
  quoting: "quoted" | "raw" | "mixed";
}

/** Rows whose identifier (index `idIndex`) and title (index `titleIndex`) come from pools. */
export function rowArbitrary(
  headerCount: number,
  idIndex: number,
  titleIndex: number,
  knownIds: string[] = [],
): fc.Arbitrary<RowPlan> {
  const width = Math.max(idIndex, titleIndex) + 3;
  return fc
    .record({
      cells: fc.array(cellArbitrary, { minLength: 0, maxLength: width }),
      id: identifierArbitrary(knownIds),
      title: fc.oneof(fc.constant(""), fc.constant("A project title"), cellArbitrary),
      programme: fc.constantFrom("Erasmus+", "", "Creative Europe", "Erasmus+\\KA1\\Mobility"),
      tail: fc.constantFrom<RowPlan["tail"]>("none", "none", "fill", "overrun"),
      quoting: fc.constantFrom<RowPlan["quoting"]>("quoted", "quoted", "raw", "mixed"),
    })
    .map(({ cells, id, title, programme, tail, quoting }) => {
      const row = [...cells];
      while (row.length < width) row.push("");
      row[0] = programme;
      row[idIndex] = id;
      row[titleIndex] = title;
      if (tail !== "none") {
        while (row.length < headerCount) row.push("");
        if (tail === "overrun") row.push("extra", "cells");
      }
      return { cells: row, tail, quoting };
    });
}

function quoteCell(cell: string): string {
  return `"${cell.replaceAll('"', '""')}"`;
}

function writeRow(cells: string[], delimiter: string, quoting: RowPlan["quoting"]): string {
  return cells
    .map((cell, index) => {
      if (quoting === "raw" || (quoting === "mixed" && index % 2 === 1)) return cell;
      return quoteCell(cell);
    })
    .join(delimiter);
}

/**
 * A position in a file as a fraction of its length, uniform over [0, 1). `fc.double` is uniform
 * over the doubles themselves, most of which are close to 0, and would hit the first bytes.
 */
const fraction = fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((n) => n / 1_000_000);

const rawBytesArbitrary = fc.record({
  at: fraction,
  bytes: fc.constantFrom([0xff], [0xc3], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xc0, 0xaf], [0]),
});

/**
 * Byte-level damage applied to the encoded text. Most files get none, so that most runs reach
 * the row mapping and the card writes.
 */
const damageArbitrary = fc.record({
  bom: fc.constantFrom("none", "none", "none", "start", "header-end"),
  truncateAt: fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fraction },
  ),
  rawBytes: fc.oneof(
    { weight: 4, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: fc.array(rawBytesArbitrary, { minLength: 1, maxLength: 2 }) },
  ),
});

/** Generates a CSV export: the header cells joined by a random delimiter, then random rows. */
export function csvExportArbitrary(
  header: string[],
  idIndex: number,
  titleIndex: number,
  knownIds: string[] = [],
): fc.Arbitrary<FuzzedExport> {
  return fc
    .record({
      delimiter: fc.constantFrom(",", ",", ",", ";", ";", "\t", "|"),
      lineEnd: fc.constantFrom("\n", "\r\n", "\r"),
      rows: fc.array(rowArbitrary(header.length, idIndex, titleIndex, knownIds), {
        maxLength: 8,
      }),
      finalLineEnd: fc.boolean(),
      damage: damageArbitrary,
    })
    .map(({ delimiter, lineEnd, rows, finalLineEnd, damage }) => {
      const headerLine = header.map(quoteCell).join(delimiter);
      const lines = [headerLine, ...rows.map((row) => writeRow(row.cells, delimiter, row.quoting))];
      let text = lines.join(lineEnd) + (finalLineEnd ? lineEnd : "");
      if (damage.bom === "start") text = `\ufeff${text}`;
      if (damage.bom === "header-end") text = text.replace(lineEnd, `\ufeff${lineEnd}`);
      let bytes = Buffer.from(text, "utf8");
      if (damage.truncateAt !== undefined) {
        bytes = bytes.subarray(0, Math.floor(bytes.length * damage.truncateAt));
      }
      for (const { at, bytes: raw } of damage.rawBytes) {
        const offset = Math.floor(bytes.length * at);
        bytes = Buffer.concat([
          bytes.subarray(0, offset),
          Buffer.from(raw),
          bytes.subarray(offset),
        ]);
      }
      return { bytes, delimiter, lineEnd };
    });
}

/** Damage to a binary file: a cut at a fraction of its length, or bytes XOR-ed at fractions. */
export type BinaryDamage =
  | { kind: "truncate"; at: number }
  | { kind: "flip"; flips: { at: number; mask: number }[] };

export const binaryDamageArbitrary: fc.Arbitrary<BinaryDamage> = fc.oneof(
  fc.record({
    kind: fc.constant("truncate" as const),
    at: fraction,
  }),
  fc.record({
    kind: fc.constant("flip" as const),
    flips: fc.array(
      fc.record({
        at: fraction,
        mask: fc.integer({ min: 1, max: 255 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  }),
);

/** Applies `damage` to a copy of `bytes`. */
export function damageBytes(bytes: Buffer, damage: BinaryDamage): Buffer {
  if (damage.kind === "truncate") {
    return Buffer.from(bytes.subarray(0, Math.floor(bytes.length * damage.at)));
  }
  const copy = Buffer.from(bytes);
  for (const { at, mask } of damage.flips) {
    const offset = Math.floor(copy.length * at);
    copy[offset] = (copy[offset] as number) ^ mask;
  }
  return copy;
}
