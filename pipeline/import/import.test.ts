import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cardPath, readCardFile, writeCardFile } from "../card/index.ts";
import { importFiles } from "./import.ts";
import { creativeEuropeCsv, cultureCsv, cultureXls, stubCsv, stubNames } from "./test-data.ts";
import { buildXlsx } from "./test-xlsx.ts";

let dir: string;
let contentDir: string;
const clock = () => new Date("2026-12-04T10:00:00Z");

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "import-"));
  contentDir = join(dir, "content");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Lists every file under `root` with the SHA-256 of its bytes and its modification time. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const hash = createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
    files.set(path, `${hash} ${(await stat(path)).mtimeMs}`);
  }
  return files;
}

async function temporaryFiles(root: string): Promise<string[]> {
  const names = await readdir(root, { recursive: true });
  return names.filter((name) => name.endsWith(".tmp"));
}

const HEADER =
  "Programme,Key Action,Action Type,Call year,Project Identifier,Project Title,Project Summary,Start date,Project Website,Coordinating organisation name,Coordinator's website";

describe("importFiles on real exports", () => {
  it("imports the 737 Culture projects, then changes nothing", async () => {
    const first = await importFiles([cultureCsv], { contentDir, clock });
    expect(first.totals).toMatchObject({ rowsRead: 737, created: 737, updated: 0, rejected: 0 });
    expect(first.files[0]?.layout).toBe("legacy-programmes");
    expect(first.startedAt).toBe("2026-12-04T10:00:00.000Z");
    const before = await snapshot(contentDir);
    expect(before.size).toBe(737);

    const second = await importFiles([cultureCsv], { contentDir, clock });
    expect(second.totals).toMatchObject({ created: 0, updated: 0, unchanged: 737, rejected: 0 });
    expect(await snapshot(contentDir)).toEqual(before);
  });

  it("imports one card from each of the 17 stubs", async () => {
    const summary = await importFiles(stubNames.map(stubCsv), { contentDir, clock });
    expect(summary.files).toHaveLength(17);
    for (const file of summary.files) {
      expect(file, file.file).toMatchObject({ rowsRead: 1, created: 1, rejected: 0 });
      expect(file.error).toBeUndefined();
    }
    expect((await snapshot(contentDir)).size).toBe(17);
    const ka1 = await readCardFile(cardPath(contentDir, "Erasmus+", "2014-1-DE03-KA101-000001"));
    expect(ka1.agency).toBe("DE03");
    expect(ka1.euGrant).toBe(2605);
  });

  it("imports the 19 Creative Europe rows", async () => {
    const summary = await importFiles([creativeEuropeCsv], { contentDir, clock });
    expect(summary.totals).toMatchObject({ rowsRead: 19, created: 19, rejected: 0, warnings: 0 });
  });

  it("rejects the legacy .xls format with a way out", async () => {
    const summary = await importFiles([cultureXls], { contentDir, clock });
    expect(summary.files[0]?.error).toEqual({
      code: "XLS_NOT_SUPPORTED",
      message:
        "legacy Excel 97-2003 (.xls) files are not supported; open the file in a spreadsheet program and save it as CSV UTF-8 (.csv) or Excel Workbook (.xlsx)",
    });
    expect(summary.totals.rowsRead).toBe(0);
  });
});

describe("importFiles report", () => {
  it("names the file, line, column, value and reason", async () => {
    const path = join(dir, "errors.csv");
    await writeFile(
      path,
      [
        HEADER,
        'Erasmus+,KA1,Mobility,2014,2014-1-DE03-KA101-000001,Good row,"Two\r\nlines",01/09/2014,www.good.eu,School,www.school.de',
        "Erasmus+,KA1,Mobility,2014,2014-1-DE03-KA101-000002,Bad date,Text,31/02/2014,,School,",
        "Erasmus+,KA1,Mobility,2014,2014-1-DE03-KA101-000003,,Text,01/09/2014,,School,",
        "Erasmus+,KA1,Mobility,2014,2014-1-DE03-KA101-000004,Mail,Text,,,School,jane.doe@school.de",
        "",
      ].join("\r\n"),
    );
    const summary = await importFiles([path], { contentDir, clock });
    expect(summary.files[0]).toMatchObject({
      rowsRead: 4,
      created: 3,
      rejected: 1,
      warnings: 2,
    });
    expect(summary.entries).toEqual([
      {
        severity: "warning",
        code: "INVALID_DATE",
        file: path,
        line: 4,
        column: { header: "Start date", letter: "H", index: 7 },
        value: "31/02/2014",
        reason: "expected a date as dd/mm/yyyy, YYYY-MM-DD or a spreadsheet date",
        identifier: "2014-1-DE03-KA101-000002",
      },
      {
        severity: "rejected",
        code: "MISSING_TITLE",
        file: path,
        line: 5,
        column: { header: "Project Title", letter: "F", index: 5 },
        reason: "the project title is empty",
      },
      {
        severity: "warning",
        code: "EMAIL_IN_WEBSITE",
        file: path,
        line: 6,
        column: { header: "Coordinator's website", letter: "K", index: 10 },
        value: "***@school.de",
        reason: "an e-mail address is not a website and is not published",
        identifier: "2014-1-DE03-KA101-000004",
      },
    ]);
    const good = await readCardFile(cardPath(contentDir, "Erasmus+", "2014-1-DE03-KA101-000001"));
    expect(good.summary).toBe("Two\nlines");
    expect(good.startDate).toBe("2014-09-01");
  });

  it("fails a file that is not an export, naming the missing columns", async () => {
    const path = join(dir, "contacts.csv");
    await writeFile(path, "Name;Email;Phone\nJane;jane@example.eu;123\n");
    const summary = await importFiles([path], { contentDir, clock });
    expect(summary.files[0]?.error).toEqual({
      code: "NOT_AN_EXPORT",
      message:
        "not a project export: missing required column(s) Project Identifier (or Project Number), Project Title, Programme (or Programme Funding); use a Projects Overview export (CSV or XLSX) from the project results platform",
    });
    expect(summary.files[0]?.rowsRead).toBe(0);
  });

  it("reports a quote never closed and keeps the rows before it", async () => {
    const path = join(dir, "broken.csv");
    await writeFile(
      path,
      `${HEADER}\nErasmus+,KA1,M,2014,ID-1,One,S,,,,\nErasmus+,KA1,M,2014,ID-2,"Two,S,,,,\n`,
    );
    const summary = await importFiles([path], { contentDir, clock });
    expect(summary.files[0]).toMatchObject({
      rowsRead: 1,
      created: 1,
      error: {
        code: "CSV_UNCLOSED_QUOTE",
        line: 3,
        message:
          "a quoted field that starts on line 3 in column F is never closed at the end of the file; the file may be cut short, so export it again, or check the quotes in that row",
      },
    });
  });
});

describe("importFiles merging", () => {
  const rows = (title: string) =>
    [
      HEADER,
      `Erasmus+,KA1,Mobility,2014,2014-1-DE03-KA101-000001,${title},Summary one,,,School,`,
      "Erasmus+,KA1,Mobility,2014,2014-1-DE03-KA101-000002,Second,Summary two,,,School,",
      "",
    ].join("\n");

  it("replaces contractual data and keeps the editorial part", async () => {
    const path = join(dir, "export.csv");
    await writeFile(path, rows("First title"));
    await importFiles([path], { contentDir, clock });

    const file = cardPath(contentDir, "Erasmus+", "2014-1-DE03-KA101-000001");
    const card = await readCardFile(file);
    const editorial = {
      website: "https://project.example.eu/",
      results: [{ id: "r1", title: "Toolkit", description: "", published: true }],
      contacts: [],
      review: { state: "approved" as const, updatedAt: "2026-11-30T12:00:00Z" },
    };
    await writeCardFile(file, { ...card, editorial });

    await writeFile(path, rows("New title"));
    const summary = await importFiles([path], { contentDir, clock });
    expect(summary.totals).toMatchObject({ updated: 1, unchanged: 1, created: 0 });
    const merged = await readCardFile(file);
    expect(merged.title).toBe("New title");
    expect(merged.editorial).toEqual(editorial);
  });

  it("leaves a card with editorial content unchanged", async () => {
    const path = join(dir, "export.csv");
    await writeFile(path, rows("First title"));
    await importFiles([path], { contentDir, clock });
    const file = cardPath(contentDir, "Erasmus+", "2014-1-DE03-KA101-000001");
    const card = await readCardFile(file);
    await writeCardFile(file, {
      ...card,
      editorial: { ...card.editorial, website: "https://a.eu/" },
    });
    const before = await snapshot(contentDir);

    const summary = await importFiles([path], { contentDir, clock });
    expect(summary.totals).toMatchObject({ unchanged: 2, updated: 0, created: 0 });
    expect(await snapshot(contentDir)).toEqual(before);
  });

  it("writes the same files from a worker thread", async () => {
    const path = join(dir, "twice.csv");
    await writeFile(
      path,
      `${HEADER}\nErasmus+,KA1,M,2014,ID-1,Old,S,,,,\nErasmus+,KA1,M,2014,ID-1,New,S,,,,\n`,
    );
    const options = { contentDir, clock, writeThread: "worker" as const };
    const first = await importFiles([path, cultureCsv], options);
    expect(first.totals).toMatchObject({ rowsRead: 739, created: 738, updated: 1, rejected: 0 });
    expect((await readCardFile(cardPath(contentDir, "Erasmus+", "ID-1"))).title).toBe("New");
    const before = await snapshot(contentDir);

    const second = await importFiles([cultureCsv], options);
    expect(second.totals).toMatchObject({ unchanged: 737, created: 0, updated: 0 });
    expect(await snapshot(contentDir)).toEqual(before);
    expect(await temporaryFiles(contentDir)).toEqual([]);
  });

  it("never deletes a project missing from a later export", async () => {
    const path = join(dir, "export.csv");
    await writeFile(path, rows("First title"));
    await importFiles([path], { contentDir, clock });
    await writeFile(path, `${HEADER}\n`);
    const summary = await importFiles([path], { contentDir, clock });
    expect(summary.totals.rowsRead).toBe(0);
    expect((await snapshot(contentDir)).size).toBe(2);
  });

  it("lets a repeated identifier win and warns", async () => {
    const path = join(dir, "twice.csv");
    await writeFile(
      path,
      `${HEADER}\nErasmus+,KA1,M,2014,ID-1,Old,S,,,,\nErasmus+,KA1,M,2014,ID-1,New,S,,,,\n`,
    );
    const summary = await importFiles([path], { contentDir, clock });
    expect(summary.entries).toEqual([
      expect.objectContaining({ code: "DUPLICATE_IDENTIFIER", severity: "warning", line: 3 }),
    ]);
    expect((await readCardFile(cardPath(contentDir, "Erasmus+", "ID-1"))).title).toBe("New");
  });

  it("rejects a second identifier that maps to the same file", async () => {
    const path = join(dir, "clash.csv");
    await writeFile(
      path,
      `${HEADER}\nErasmus+,KA1,M,2014,AB_1,First,S,,,,\nErasmus+,KA1,M,2014,ab 1,Second,S,,,,\n`,
    );
    const summary = await importFiles([path], { contentDir, clock });
    expect(summary.files[0]).toMatchObject({ created: 1, rejected: 1 });
    expect(summary.entries).toEqual([
      {
        severity: "rejected",
        code: "FILE_NAME_CLASH",
        file: path,
        line: 3,
        column: { header: "Project Identifier", letter: "E", index: 4 },
        value: "ab 1",
        identifier: "ab 1",
        reason: `identifier ab 1 maps to the same card file as AB_1 (${path} line 2); rename one of the identifiers`,
      },
    ]);
    expect((await readCardFile(cardPath(contentDir, "Erasmus+", "AB_1"))).title).toBe("First");
  });

  it("leaves existing cards intact when a write fails mid-run", async () => {
    const path = join(dir, "export.csv");
    const three = (second: string) =>
      [
        HEADER,
        "Erasmus+,KA1,M,2014,ID-1,One,S,,,,",
        `Erasmus+,KA1,M,2014,ID-2,${second},S,,,,`,
        "Erasmus+,KA1,M,2014,ID-3,Three,S,,,,",
        "",
      ].join("\n");
    await writeFile(path, three("Two"));
    await importFiles([path], { contentDir, clock });

    // A folder where the card of ID-2 should be makes its write fail, even for root.
    const blocked = cardPath(contentDir, "Erasmus+", "ID-2");
    await rm(blocked);
    await mkdir(blocked);
    const before = await snapshot(contentDir);
    await writeFile(path, three("Two changed"));
    const summary = await importFiles([path], { contentDir, clock });

    expect(summary.files[0]).toMatchObject({ rowsRead: 3, unchanged: 2, rejected: 1 });
    expect(summary.entries).toEqual([
      expect.objectContaining({ severity: "rejected", code: "CARD_READ_FAILED", line: 3 }),
    ]);
    expect(await snapshot(contentDir)).toEqual(before);
    expect(before.size).toBe(2);
    expect(await temporaryFiles(contentDir)).toEqual([]);
  });

  it("stops cleanly when interrupted, leaving only whole cards", async () => {
    const controller = new AbortController();
    const summary = await importFiles([cultureCsv, creativeEuropeCsv], {
      contentDir,
      clock,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    const aborted = {
      code: "ABORTED",
      message: "the import was stopped before the end of this file",
    };
    expect(summary.files[0]?.error).toEqual(aborted);
    expect(summary.files[1]?.error).toEqual(aborted);
    expect(summary.files[0]?.rowsRead).toBe(250);
    expect(summary.files[0]?.created).toBe(250);
    expect(await temporaryFiles(contentDir)).toEqual([]);
    const files = await snapshot(contentDir);
    expect(files.size).toBe(250);
    for (const file of files.keys()) await expect(readCardFile(file)).resolves.toBeDefined();
  });

  it("leaves an invalid existing card untouched", async () => {
    const file = cardPath(contentDir, "Erasmus+", "ID-1");
    await mkdir(join(contentDir, "projects", "erasmus-plus"), { recursive: true });
    await writeFile(file, "---\nid: ID-1\n---\nhand-written\n");
    const path = join(dir, "export.csv");
    await writeFile(path, `${HEADER}\nErasmus+,KA1,M,2014,ID-1,One,S,,,,\n`);
    const summary = await importFiles([path], { contentDir, clock });
    expect(summary.entries[0]).toMatchObject({ code: "EXISTING_CARD_INVALID", line: 2 });
    expect(await readFile(file, "utf8")).toBe("---\nid: ID-1\n---\nhand-written\n");
    expect(await temporaryFiles(contentDir)).toEqual([]);
  });
});

describe("importFiles on CSV variants", () => {
  it("reads a semicolon CSV with a BOM and CRLF", async () => {
    const path = join(dir, "semicolon.csv");
    const header = HEADER.replace(/,/g, ";");
    await writeFile(
      path,
      `\ufeff${header}\r\nErasmus+;KA1;Mobility;2014;2014-1-DE03-KA101-000001;Titel, mit Komma;"Zeile 1\r\nZeile 2";01/09/2014;;Schule;www.schule.de\r\n`,
    );
    const summary = await importFiles([path], { contentDir, clock });
    expect(summary.files[0]).toMatchObject({ layout: "erasmus-plus-2014-2020", created: 1 });
    const card = await readCardFile(cardPath(contentDir, "Erasmus+", "2014-1-DE03-KA101-000001"));
    expect(card.title).toBe("Titel, mit Komma");
    expect(card.summary).toBe("Zeile 1\nZeile 2");
    expect(card.coordinator?.websites).toEqual(["http://www.schule.de"]);
  });
});

describe("importFiles on XLSX", () => {
  it("imports a workbook with a multi-line cell and a spreadsheet date", async () => {
    const path = join(dir, "creative.xlsx");
    await writeFile(
      path,
      buildXlsx([
        [
          "Programme",
          "Sub-programme",
          "Action",
          "Activity type",
          "Call year",
          "Start date",
          "End date",
          "Project Number",
          "Project Title",
          "Project Summary",
          "Project Status",
          "EU Grant award in euros (This amount represents the grant awarded after the selection stage and is indicative.)",
          "Participating countries",
          "Coordinator's name",
          "Coordinator's website",
        ],
        [
          "Creative Europe",
          "Culture",
          "Cooperation projects",
          "Fashion design, Other, Theatre, Circus arts",
          2014,
          41921,
          42651,
          "552237-CREA-1-2014-1-NL-CULT-COOP1",
          "International Young Makers in Action",
          "One of the biggest current challenges of Europe is youth unemployment.\n• Presentation\n• Training",
          "finalized",
          200000,
          "NL,ES,IT,BA,PL,UK",
          "STICHTING ITS FESTIVAL",
          null,
        ],
      ]),
    );
    const summary = await importFiles([path], { contentDir, clock });
    expect(summary.files[0]).toMatchObject({
      format: "xlsx",
      layout: "creative-europe",
      created: 1,
      warnings: 0,
    });
    const card = await readCardFile(
      cardPath(contentDir, "Creative Europe", "552237-CREA-1-2014-1-NL-CULT-COOP1"),
    );
    expect(card.startDate).toBe("2014-10-09");
    expect(card.endDate).toBe("2016-10-08");
    expect(card.euGrant).toBe(200000);
    expect(card.callYear).toBe(2014);
    expect(card.status).toBe("completed");
    expect(card.summary).toBe(
      "One of the biggest current challenges of Europe is youth unemployment.\n• Presentation\n• Training",
    );
  });
});

describe("importFiles progress", () => {
  it("reports each file's rows at its end", async () => {
    const seen: { file: string; rowsRead: number }[] = [];
    await importFiles([creativeEuropeCsv], {
      contentDir,
      clock,
      onProgress: ({ file, rowsRead }) => seen.push({ file, rowsRead }),
    });
    expect(seen.at(-1)).toEqual({ file: creativeEuropeCsv, rowsRead: 19 });
  });
});

describe("importFiles on cut-off files", () => {
  it("rejects the cut last row of the Culture export", async () => {
    await importFiles([cultureCsv], { contentDir, clock });
    const before = await snapshot(contentDir);
    const cut = join(dir, "cut.csv");
    await writeFile(cut, (await readFile(cultureCsv)).subarray(0, 200_000));

    const summary = await importFiles([cut], { contentDir, clock });
    expect(summary.totals).toMatchObject({
      rowsRead: 162,
      created: 0,
      updated: 0,
      unchanged: 161,
      rejected: 1,
    });
    expect(summary.files[0]?.error).toBeUndefined();
    const rejected = summary.entries.filter((entry) => entry.severity === "rejected");
    expect(rejected).toEqual([
      {
        severity: "rejected",
        code: "MISSING_CELLS",
        file: cut,
        line: 357,
        column: { header: "Coordinator's address", letter: "O", index: 14 },
        identifier: "EACEA-199207",
        reason:
          "the row has 14 cells but the header has 169, so column O and the ones after it are missing; the file may be cut short or a cell may contain a line break outside quotes, so export the file again or fix that row. The card was not changed",
      },
    ]);
    expect(await snapshot(contentDir)).toEqual(before);
  });

  it("rejects a short row in the middle", async () => {
    const path = join(dir, "short.csv");
    await writeFile(
      path,
      [
        HEADER,
        "Erasmus+,KA1,M,2014,ID-1,One,S,,,,",
        "Erasmus+,KA1,M,2014,ID-2,Two",
        "Erasmus+,KA1,M,2014,ID-3,Three,S,,,,",
        "",
      ].join("\n"),
    );
    const summary = await importFiles([path], { contentDir, clock });
    expect(summary.totals).toMatchObject({ rowsRead: 3, created: 2, rejected: 1 });
    expect(summary.entries).toMatchObject([
      {
        code: "MISSING_CELLS",
        line: 3,
        identifier: "ID-2",
        column: { header: "Project Summary", letter: "G", index: 6 },
      },
    ]);
    await expect(stat(cardPath(contentDir, "erasmus-plus", "ID-2"))).rejects.toThrow();
  });

  it("keeps the card when its quoted cell is cut", async () => {
    const path = join(dir, "export.csv");
    await writeFile(path, `${HEADER}\nErasmus+,KA1,M,2014,ID-1,One,"Summary, full",,,,\n`);
    await importFiles([path], { contentDir, clock });
    const before = await snapshot(contentDir);

    await writeFile(path, `${HEADER}\nErasmus+,KA1,M,2014,ID-1,One,"Summary, fu`);
    const summary = await importFiles([path], { contentDir, clock });
    expect(summary.files[0]?.error).toMatchObject({ code: "CSV_UNCLOSED_QUOTE", line: 2 });
    expect(summary.files[0]?.error?.message).toContain("column G");
    expect(summary.totals).toMatchObject({ rowsRead: 0, updated: 0 });
    expect(await snapshot(contentDir)).toEqual(before);
  });

  it("rejects a cut XLSX file as a whole", async () => {
    const workbook = buildXlsx([
      HEADER.split(","),
      ["Erasmus+", "KA1", "M", "2014", "ID-1", "One", "Summary", null, null, "Coordinator", null],
    ]);
    const path = join(dir, "export.xlsx");
    await writeFile(path, workbook);
    await importFiles([path], { contentDir, clock });
    const before = await snapshot(contentDir);
    expect(before.size).toBe(1);

    await writeFile(path, workbook.subarray(0, Math.floor(workbook.length / 2)));
    const summary = await importFiles([path], { contentDir, clock });
    expect(summary.files[0]?.error?.code).toBeDefined();
    expect(summary.totals).toMatchObject({ rowsRead: 0, created: 0, updated: 0 });
    expect(await snapshot(contentDir)).toEqual(before);
  });
});
