/**
 * Property-based tests of the importer: random and damaged exports built from real header rows
 * go through `importFiles` into a fresh content folder per run. The seed is fixed, and fast-check
 * prints it with the failing case; set FUZZ_SEED to explore other inputs.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardPath, listCardFiles, readCardFile, writeCardFile } from "../card/index.ts";
import {
  binaryDamageArbitrary,
  csvExportArbitrary,
  damageBytes,
  type FuzzedExport,
} from "./fuzz-arbitraries.ts";
import { importFiles } from "./import.ts";
import { FIELD_LIMITS } from "./limits.ts";
import { readExportRows } from "./reader.ts";
import type { ImportSummary } from "./report.ts";
import { cultureCsv, stubCsv } from "./test-data.ts";
import { buildXlsx, type XlsxCell } from "./test-xlsx.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const clock = () => new Date("2026-12-04T10:00:00Z");
/** Time after which one import run counts as hung, far above the usual run of under a second. */
const HANG_TIMEOUT_MS = 60_000;

let root: string;
let ka2Header: string[];
let cultureHeader: string[];
/** Content folder filled once by a valid import, copied for each run of the survival property. */
let prefilled: string;
let prefilledIds: string[];
let editorialCard: string;

const EDITORIAL = {
  website: "https://project.example.eu/",
  results: [{ id: "r1", title: "Toolkit", description: "Line one\nline two", published: true }],
  contacts: [],
  review: { state: "approved" as const, updatedAt: "2026-11-30T12:00:00Z" },
};

async function headerOf(path: string): Promise<string[]> {
  const text = await readFile(path, "utf8");
  const end = text.search(/\r?\n/);
  const line = text.slice(0, end).replace(/^\ufeff/, "");
  // The real header rows contain no quoted cells, so a split is exact.
  expect(line).not.toContain('"');
  return line.split(",");
}

function indexOf(header: string[], name: string): number {
  const index = header.indexOf(name);
  expect(index, name).toBeGreaterThanOrEqual(0);
  return index;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "import-fuzz-"));
  ka2Header = await headerOf(
    stubCsv(
      "ErasmusPlus_KA2_CooperationForInnovationAndTheExchangeOfGoodPractices_Projects_Overview",
    ),
  );
  cultureHeader = await headerOf(cultureCsv);

  prefilled = join(root, "prefilled");
  const ids = Array.from(
    { length: 5 },
    (_, n) => `2014-1-DE03-KA101-${String(n + 1).padStart(6, "0")}`,
  );
  const rows = ids.map((id, n) => `Erasmus+,KA1,Mobility,2014,${id},Title ${n},Summary ${n}`);
  const valid = join(root, "valid.csv");
  await writeFile(
    valid,
    [
      "Programme,Key Action,Action Type,Call year,Project Identifier,Project Title,Project Summary",
      ...rows,
    ].join("\n"),
  );
  const summary = await importFiles([valid], { contentDir: prefilled, clock });
  expect(summary.totals.created).toBe(ids.length);
  prefilledIds = ids;

  editorialCard = cardPath(prefilled, "Erasmus+", ids[0] as string);
  const card = await readCardFile(editorialCard);
  await writeCardFile(editorialCard, { ...card, editorial: EDITORIAL });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let runNumber = 0;

/** Creates a fresh folder for one run, which the caller removes. */
async function runFolder(): Promise<string> {
  runNumber += 1;
  return mkdtemp(join(root, `run-${runNumber}-`));
}

/** Runs `importFiles` and fails the run when it neither resolves nor rejects in time. */
async function importWithin(files: string[], contentDir: string): Promise<ImportSummary> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`importFiles did not finish in ${HANG_TIMEOUT_MS} ms`)),
      HANG_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([importFiles(files, { contentDir, clock }), hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** Lists every file under `folder`, relative to it. */
async function filesUnder(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** Checks the counts, the report entries and the card files left by one run. */
async function checkRun(summary: ImportSummary, contentDir: string): Promise<void> {
  for (const file of summary.files) {
    const { rowsRead, created, updated, unchanged, rejected } = file;
    expect(created + updated + unchanged + rejected, `counts of ${file.file}`).toBe(rowsRead);
    if (file.error !== undefined) {
      expect(file.error.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(file.error.message.length).toBeGreaterThan(0);
    }
    const rejectedLines = new Set(
      summary.entries
        .filter((entry) => entry.file === file.file && entry.severity === "rejected")
        .map((entry) => entry.line),
    );
    expect(rejectedLines.size, `rejected lines of ${file.file}`).toBe(rejected);
  }
  for (const entry of summary.entries) {
    expect(entry.file.length).toBeGreaterThan(0);
    expect(Number.isInteger(entry.line), `line ${entry.line}`).toBe(true);
    expect(entry.line).toBeGreaterThanOrEqual(1);
    expect(entry.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    expect(entry.reason.length).toBeGreaterThan(0);
  }

  const files = await filesUnder(contentDir);
  expect(files.filter((name) => !name.endsWith(".md"))).toEqual([]);
  for (const name of files) await readCardFile(join(contentDir, name));
  const listed: string[] = [];
  for await (const path of listCardFiles(contentDir)) listed.push(path);
  expect(listed).toHaveLength(files.length);
}

/** Returns the `editorial:` block of a card file's front matter, as written. */
function editorialBlock(text: string): string {
  const lines = text.split("\n");
  const start = lines.indexOf("editorial:");
  expect(start, "editorial block").toBeGreaterThan(0);
  let end = start + 1;
  while (end < lines.length && (lines[end] as string).startsWith(" ")) end += 1;
  return lines.slice(start, end).join("\n");
}

/** Trimmed like the importer's `cleanText`: whitespace, NBSP, BOM and zero-width space. */
const isBlank = (value: string | undefined) =>
  value === undefined || value.replace(/^[\s\u200b]+|[\s\u200b]+$/g, "") === "";

/** Checks that every row read with an empty identifier or title has a rejected entry. */
async function checkBlankRowsRejected(path: string, summary: ImportSummary): Promise<void> {
  const rejectedLines = new Set(
    summary.entries.filter((entry) => entry.severity === "rejected").map((entry) => entry.line),
  );
  const [file] = summary.files;
  if (file?.layout === undefined) return;
  const titleHeader = "Project Title";
  const idHeader = "Project Identifier";
  let seen = 0;
  try {
    for await (const row of readExportRows(path)) {
      seen += 1;
      if (seen > file.rowsRead) break;
      if (isBlank(row.values[idHeader]) || isBlank(row.values[titleHeader])) {
        expect(rejectedLines.has(row.line), `row on line ${row.line} is rejected`).toBe(true);
      }
    }
  } catch (error) {
    // The import reported the same read failure, and the rows before it were checked.
    expect(file.error?.code).toBe((error as { code?: string }).code ?? "READ_FAILED");
  }
}

function describeExport(fuzzed: FuzzedExport): string {
  return JSON.stringify({
    delimiter: fuzzed.delimiter,
    lineEnd: fuzzed.lineEnd,
    head: fuzzed.bytes.subarray(0, 200).toString("latin1"),
  });
}

describe("importFiles on fuzzed CSV", () => {
  for (const [name, header] of [
    ["Erasmus+ KA2 header", () => ka2Header],
    ["Culture header", () => cultureHeader],
  ] as const) {
    it(`never crashes or writes a broken card (${name})`, async () => {
      const columns = header();
      const idIndex = indexOf(columns, "Project Identifier");
      const titleIndex = indexOf(columns, "Project Title");
      // Runs that wrote a card and runs that rejected a row, so neither path goes unvisited.
      let writingRuns = 0;
      let rejectingRuns = 0;
      await fc.assert(
        fc.asyncProperty(csvExportArbitrary(columns, idIndex, titleIndex), async (fuzzed) => {
          const folder = await runFolder();
          try {
            const path = join(folder, "export.csv");
            await writeFile(path, fuzzed.bytes);
            const contentDir = join(folder, "content");
            const summary = await importWithin([path], contentDir);
            await checkRun(summary, contentDir);
            await checkBlankRowsRejected(path, summary);
            if (summary.totals.created > 0) writingRuns += 1;
            if (summary.totals.rejected > 0) rejectingRuns += 1;
          } finally {
            await rm(folder, { recursive: true, force: true });
          }
        }),
        { seed: SEED, numRuns: 100 },
      );
      expect(writingRuns).toBeGreaterThan(0);
      expect(rejectingRuns).toBeGreaterThan(0);
    }, 240_000);
  }

  it("keeps existing cards and their editorial part", async () => {
    const idIndex = indexOf(ka2Header, "Project Identifier");
    const titleIndex = indexOf(ka2Header, "Project Title");
    const before = await filesUnder(prefilled);
    const editorialBefore = (await readCardFile(editorialCard)).editorial;
    const blockBefore = editorialBlock(await readFile(editorialCard, "utf8"));
    expect(blockBefore).toContain("Toolkit");
    const relativeCard = editorialCard.slice(prefilled.length + 1);
    // Runs that updated an existing card, so the property is not met by leaving cards alone.
    let updatingRuns = 0;
    await fc.assert(
      fc.asyncProperty(
        csvExportArbitrary(ka2Header, idIndex, titleIndex, prefilledIds),
        async (fuzzed) => {
          const folder = await runFolder();
          try {
            const path = join(folder, "export.csv");
            await writeFile(path, fuzzed.bytes);
            const contentDir = join(folder, "content");
            await cp(prefilled, contentDir, { recursive: true });
            const summary = await importWithin([path], contentDir);
            await checkRun(summary, contentDir);
            if (summary.totals.updated > 0) updatingRuns += 1;

            const after = await filesUnder(contentDir);
            for (const name of before) expect(after, describeExport(fuzzed)).toContain(name);
            const card = await readCardFile(join(contentDir, relativeCard));
            expect(JSON.stringify(card.editorial)).toBe(JSON.stringify(editorialBefore));
            const text = await readFile(join(contentDir, relativeCard), "utf8");
            expect(editorialBlock(text)).toBe(blockBefore);
          } finally {
            await rm(folder, { recursive: true, force: true });
          }
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
    expect(updatingRuns).toBeGreaterThan(0);
  }, 240_000);
});

describe("importFiles on damaged XLSX", () => {
  const sheet: XlsxCell[][] = [
    ["Programme", "Key Action", "Call year", "Project Identifier", "Project Title", "Topics"],
    ["Erasmus+", "KA1", 2014, "2014-1-DE03-KA101-000001", "First", "Youth"],
    ["Erasmus+", "KA1", 2015, "2015-1-DE03-KA101-000002", { inline: "Second" }, null],
    ["Erasmus+", "KA2", 2016, "2016-1-FR01-KA201-000003", "Third\nline", "Inclusion"],
  ];
  const valid = buildXlsx(sheet);

  it("imports the undamaged workbook", async () => {
    const folder = await runFolder();
    try {
      const path = join(folder, "export.xlsx");
      await writeFile(path, valid);
      const summary = await importWithin([path], join(folder, "content"));
      expect(summary.files[0]?.error).toBeUndefined();
      expect(summary.totals).toMatchObject({ rowsRead: 3, created: 3 });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  /** Offsets of the local header and the central directory record of one zip entry. */
  function entryHeaders(zip: Buffer, name: string): { local: number; central: number } {
    const local = zip.indexOf(name) - 30;
    const central = zip.indexOf(name, local + 31) - 46;
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    expect(zip.readUInt32LE(central)).toBe(0x02014b50);
    return { local, central };
  }

  // Found by the property below: yauzl's and zlib's own errors came out as READ_FAILED or
  // Z_DATA_ERROR, with a message that named neither the file nor a fix.
  it.each([
    ["a bad local header signature", (zip: Buffer, at: { local: number }) => zip[at.local]++],
    [
      "a wrong uncompressed size",
      (zip: Buffer, at: { central: number }) =>
        zip.writeUInt32LE(zip.readUInt32LE(at.central + 24) + 1, at.central + 24),
    ],
    [
      "an unknown compression method",
      (zip: Buffer, at: { local: number; central: number }) => {
        zip.writeUInt16LE(99, at.local + 8);
        zip.writeUInt16LE(99, at.central + 10);
      },
    ],
  ])("reports %s in the worksheet as XLSX_DAMAGED", async (_, damage) => {
    const folder = await runFolder();
    try {
      const zip = Buffer.from(valid);
      damage(zip, entryHeaders(zip, "xl/worksheets/sheet1.xml"));
      const path = join(folder, "export.xlsx");
      await writeFile(path, zip);
      const contentDir = join(folder, "content");
      const summary = await importWithin([path], contentDir);
      expect(summary.files[0]?.error?.code).toBe("XLSX_DAMAGED");
      expect(summary.files[0]?.error?.message).toContain(`${path} is a damaged XLSX file (`);
      expect(summary.files[0]?.error?.message).toContain("save it again as Excel Workbook");
      await checkRun(summary, contentDir);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("fails a damaged workbook with a code", async () => {
    await fc.assert(
      fc.asyncProperty(binaryDamageArbitrary, async (damage) => {
        const folder = await runFolder();
        try {
          const path = join(folder, "export.xlsx");
          await writeFile(path, damageBytes(valid, damage));
          const contentDir = join(folder, "content");
          const summary = await importWithin([path], contentDir);
          await checkRun(summary, contentDir);
          const [file] = summary.files;
          if (damage.kind === "truncate") {
            // A cut always removes the zip's end-of-central-directory record.
            expect(file?.error?.code).toMatch(/^XLSX_|^EMPTY_FILE$/);
            expect(await filesUnder(contentDir)).toEqual([]);
          }
          if (file?.error !== undefined) {
            expect(file.error.code).toMatch(/^(XLSX_[A-Z_]+|EMPTY_FILE|NOT_AN_EXPORT)$/);
            expect(file.error.message).toMatch(/export|save|check/);
          }
        } finally {
          await rm(folder, { recursive: true, force: true });
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
  }, 240_000);
});

/** Returns a valid value for a partner column, so that the 600 partner cells are filled. */
function partnerCell(header: string, row: number): string {
  if (!header.startsWith("Partner ")) return "";
  if (header.endsWith(" country")) return "DE";
  if (header.endsWith(" website")) return "https://partner.example.eu/";
  return `${header} of row ${row}`;
}

describe("importFiles on huge input", () => {
  it("cuts a 5 MB cell to the field limits", async () => {
    const folder = await runFolder();
    try {
      const path = join(folder, "huge-cell.csv");
      const cell = "word ".repeat(1_000_000);
      await writeFile(
        path,
        [
          "Programme,Key Action,Call year,Project Identifier,Project Title,Project Summary",
          `Erasmus+,KA1,2014,ID-SUMMARY,Title,"${cell}"`,
          `Erasmus+,KA1,2014,ID-TITLE,${cell},Summary`,
        ].join("\n"),
      );
      const contentDir = join(folder, "content");
      const summary = await importWithin([path], contentDir);
      await checkRun(summary, contentDir);
      expect(summary.totals).toMatchObject({ rowsRead: 2, created: 2, rejected: 0 });
      const cuts = summary.entries.filter((entry) => entry.code === "FIELD_TRUNCATED");
      expect(cuts.map((entry) => entry.column?.header).sort()).toEqual([
        "Project Summary",
        "Project Title",
      ]);
      const long = await readCardFile(cardPath(contentDir, "Erasmus+", "ID-SUMMARY"));
      expect(long.summary.length).toBeLessThanOrEqual(FIELD_LIMITS.summary);
      const titled = await readCardFile(cardPath(contentDir, "Erasmus+", "ID-TITLE"));
      expect(titled.title.length).toBeLessThanOrEqual(FIELD_LIMITS.title);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 120_000);

  it("imports 2,000 rows of 622 columns", async () => {
    expect(ka2Header).toHaveLength(622);
    const folder = await runFolder();
    try {
      const path = join(folder, "wide.csv");
      const idIndex = indexOf(ka2Header, "Project Identifier");
      const titleIndex = indexOf(ka2Header, "Project Title");
      const partnerName = indexOf(ka2Header, "Partner 1 name");
      const lines = [ka2Header.join(",")];
      for (let n = 0; n < 2_000; n += 1) {
        const cells = ka2Header.map((name) => partnerCell(name, n));
        cells[0] = "Erasmus+";
        cells[idIndex] = `2014-1-DE03-KA101-${String(n).padStart(6, "0")}`;
        cells[titleIndex] = `Project ${n}`;
        // Every hundredth row has a partner name over the limit for text fields.
        if (n % 100 === 0) cells[partnerName] = "name ".repeat(FIELD_LIMITS.other / 4);
        lines.push(cells.join(","));
      }
      await writeFile(path, `${lines.join("\n")}\n`);
      const contentDir = join(folder, "content");
      const summary = await importWithin([path], contentDir);
      expect(summary.totals).toMatchObject({ rowsRead: 2_000, created: 2_000, rejected: 0 });
      const cuts = summary.entries.filter((entry) => entry.code === "FIELD_TRUNCATED");
      expect(cuts).toHaveLength(20);
      for (const cut of cuts) expect(cut.column?.header).toBe("Partner 1 name");
      const files = await filesUnder(contentDir);
      expect(files).toHaveLength(2_000);
      expect(files.filter((name) => !name.endsWith(".md"))).toEqual([]);
      const first = await readCardFile(
        cardPath(contentDir, "Erasmus+", "2014-1-DE03-KA101-000000"),
      );
      expect(first.partners[0]?.name.length).toBeLessThanOrEqual(FIELD_LIMITS.other);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 240_000);
});
