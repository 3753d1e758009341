import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stubCsv } from "../import/test-data.ts";
import { CONTACT_COLUMNS } from "./format.ts";
import { contactEmails, importContacts, importContactsFile, projectsForEmail } from "./import.ts";
import { parseContactsFeed } from "./parse.ts";

const moduleFolder = dirname(fileURLToPath(import.meta.url));
const SAMPLE = join(moduleFolder, "sample-contacts.csv");
const REAL_DATA = resolve(moduleFolder, "../../../shared/data/real");
const HEADER = CONTACT_COLUMNS.join(";");

let folder: string;
let db: DatabaseSync;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "contacts-"));
  db = new DatabaseSync(join(folder, "editor.db"));
});
afterEach(async () => {
  db.close();
  await rm(folder, { recursive: true, force: true });
});

async function feed(name: string, lines: string[]): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, `${lines.join("\r\n")}\r\n`);
  return path;
}

describe("parseContactsFeed", () => {
  it("reads the sample feed", async () => {
    const parsed = await parseContactsFeed(SAMPLE);
    expect(parsed.issues).toEqual([]);
    expect(parsed.fatal).toBe(false);
    expect(parsed.rows).toHaveLength(12);
    expect(parsed.rows[0]).toEqual({
      projectId: "FI-CULT-2008-MOTN-01",
      name: "Lotte Vermeulen",
      email: "lotte.vermeulen@example.org",
      phone: "+32 2 555 01 10",
      role: "Project manager",
      organisation: "P.A.R.T.S.",
      line: 2,
    });
    expect(parsed.rows[1].phone).toBeUndefined();
  });

  it("reports each bad cell with line and column", async () => {
    const text = [
      HEADER,
      "P1;Anna;anna@example.org;;;",
      ";Bob;not-an-email;12ab;;",
      "P2;Chris;chris@example.org;;;",
      "P3;Dana;dana@example.org",
      "P1;Anna again;ANNA@example.org;;;",
    ].join("\n");
    const parsed = await parseContactsFeed(Readable.from([text]), "feed.csv");
    expect(parsed.fatal).toBe(false);
    expect(parsed.rows.map((row) => row.projectId)).toEqual(["P1", "P2"]);
    expect(parsed.issues).toEqual([
      { file: "feed.csv", line: 3, column: "Project Identifier", value: "", reason: "missing" },
      {
        file: "feed.csv",
        line: 3,
        column: "Contact e-mail",
        value: "not-an-email",
        reason: "invalid e-mail address",
      },
      {
        file: "feed.csv",
        line: 3,
        column: "Contact phone",
        value: "12ab",
        reason: "invalid phone number: use digits, spaces and an optional leading +",
      },
      {
        file: "feed.csv",
        line: 5,
        reason: 'expected 6 fields separated by ";", found 3',
      },
      {
        file: "feed.csv",
        line: 6,
        column: "Contact e-mail",
        value: "anna@example.org",
        reason: "duplicate of line 2 for the same project",
      },
    ]);
  });

  it("rejects a wrong header", async () => {
    const parsed = await parseContactsFeed(Readable.from(["Id,Name,Email\nP1,A,a@example.org\n"]));
    expect(parsed.fatal).toBe(true);
    expect(parsed.issues).toHaveLength(1);
    expect(parsed.issues[0].line).toBe(1);
    expect(parsed.issues[0].reason).toMatch(/^invalid header/);
  });

  it("rejects a binary file in one line", async () => {
    const path = join(folder, "logo.png");
    await writeFile(path, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]));
    const parsed = await parseContactsFeed(path);
    expect(parsed.fatal).toBe(true);
    expect(parsed.issues).toEqual([
      {
        file: "logo.png",
        line: 1,
        reason:
          'not a text file: it contains a NUL byte at offset 8; give the contacts feed as a CSV text file (UTF-8, ";" between fields)',
      },
    ]);
  });

  it("rejects a Latin-1 feed with the byte and line", async () => {
    const path = join(folder, "latin1.csv");
    await writeFile(path, Buffer.from(`${HEADER}\r\nP1;Ren\xe9e;r@example.org;;;\r\n`, "latin1"));
    const parsed = await parseContactsFeed(path);
    expect(parsed.fatal).toBe(true);
    expect(parsed.issues).toEqual([
      {
        file: "latin1.csv",
        line: 2,
        reason: `not valid UTF-8: byte 0xE9 at offset ${HEADER.length + 8} on line 2; save the feed as "CSV UTF-8"`,
      },
    ]);
  });

  it("rejects a projects export naming the columns found", async () => {
    const parsed = await parseContactsFeed(stubCsv("Tempus_Projects_Overview"));
    expect(parsed.fatal).toBe(true);
    expect(parsed.issues).toHaveLength(1);
    const [issue] = parsed.issues;
    expect(issue?.line).toBe(1);
    expect(issue?.reason).toBe(
      'invalid header: expected "Project Identifier;Contact name;Contact e-mail;Contact phone;Contact role;Organisation", found "Programme Funding,Project Identifier,External Reference,Project Title,Project Summary,EU Grant award in euros (This amount re…,Is Good Practice,Is Success Story,…"; give the contacts feed, not a projects export or another file; the file has "," between fields, the feed has ";"',
    );
  });

  it("escapes control characters and cuts the header shown", async () => {
    const cells = ["Id\u0007", "Name\tx", ...Array.from({ length: 10 }, (_, i) => `c${i}`)];
    const path = await feed("odd.csv", [cells.join(";"), "P1;A"]);
    const parsed = await parseContactsFeed(path);
    expect(parsed.issues[0]?.value).toBe("Id\\u0007;Name\\tx;c0;c1;c2;c3;c4;c5;…");
  });

  it("rejects broken quoting", async () => {
    const text = `${HEADER}\nP1;"Anna;anna@example.org;;;\n`;
    const parsed = await parseContactsFeed(Readable.from([text]), "feed.csv");
    expect(parsed.fatal).toBe(true);
    expect(parsed.issues[0].reason).toMatch(/^invalid CSV/);
  });

  it("reports a missing file", async () => {
    const parsed = await parseContactsFeed(join(folder, "missing.csv"));
    expect(parsed.fatal).toBe(true);
    expect(parsed.issues[0].reason).toMatch(/^cannot read the file: ENOENT/);
  });

  it("accepts a byte-order mark and quoted fields", async () => {
    const text = `\ufeff${HEADER}\nP1;"Ana; Maria";ana@example.org;;;"Org ""A"""\n`;
    const parsed = await parseContactsFeed(Readable.from([text]));
    expect(parsed.issues).toEqual([]);
    expect(parsed.rows[0].name).toBe("Ana; Maria");
    expect(parsed.rows[0].organisation).toBe('Org "A"');
  });
});

describe("importContacts", () => {
  it("stores the sample feed", async () => {
    const report = await importContacts(SAMPLE, db, {
      now: () => new Date("2026-12-04T10:00:00Z"),
    });
    expect(report).toMatchObject({ imported: 12, replaced: 0, rejected: false, issues: [] });
    expect(contactEmails(db, "EACEA-160778")).toEqual([
      "giulia.ferraro@example.org",
      "marco.bellini@example.org",
    ]);
    expect(projectsForEmail(db, " Owen.Price@example.org ")).toEqual(["EACEA-513499"]);
  });

  it("replaces the previous feed", async () => {
    await importContacts(SAMPLE, db);
    const next = await feed("next.csv", [HEADER, "P9;Zoe;zoe@example.org;;;"]);
    const report = await importContacts(next, db);
    expect(report).toMatchObject({ imported: 1, replaced: 12 });
    const count = db.prepare("SELECT count(*) AS n FROM project_contacts").get() as { n: number };
    expect(count.n).toBe(1);
    expect(contactEmails(db, "EACEA-160778")).toEqual([]);
  });

  it("keeps the previous feed when rejected", async () => {
    await importContacts(SAMPLE, db);
    const broken = await feed("broken.csv", ["Wrong;Header", "P9;Zoe"]);
    const report = await importContacts(broken, db);
    expect(report).toMatchObject({ imported: 0, rejected: true });
    expect(contactEmails(db, "EACEA-160778")).toHaveLength(2);
    const empty = await feed("empty.csv", [HEADER]);
    expect(await importContacts(empty, db)).toMatchObject({ rejected: true });
    expect(contactEmails(db, "EACEA-160778")).toHaveLength(2);
  });

  it("rolls back when an insert fails", async () => {
    await importContacts(SAMPLE, db);
    db.exec(`CREATE TRIGGER reject_zoe BEFORE INSERT ON project_contacts
      WHEN NEW.email = 'zoe@example.org' BEGIN SELECT RAISE(ABORT, 'rejected'); END`);
    const next = await feed("next.csv", [
      HEADER,
      "P8;Yan;yan@example.org;;;",
      "P9;Zoe;zoe@example.org;;;",
    ]);
    await expect(importContacts(next, db)).rejects.toThrow(/rejected/);
    expect(contactEmails(db, "EACEA-160778")).toHaveLength(2);
    expect(contactEmails(db, "P8")).toEqual([]);
  });

  it("importContactsFile creates the table", async () => {
    const databasePath = join(folder, "fresh.db");
    const report = await importContactsFile(SAMPLE, { databasePath });
    expect(report.imported).toBe(12);
    const fresh = new DatabaseSync(databasePath);
    const count = fresh.prepare("SELECT count(*) AS n FROM project_contacts").get() as {
      n: number;
    };
    fresh.close();
    expect(count.n).toBe(12);
  });
});

describe("sample feed", () => {
  it("names projects of the real Culture export", () => {
    const exportFile = join(
      REAL_DATA,
      "techforuk-my_eu/Culture_2007_2013_Projects_Overview_2018-08-01.converted.csv",
    );
    const records = parse(readFileSync(exportFile), { columns: true }) as Record<string, string>[];
    const identifiers = new Set(records.map((record) => record["Project Identifier"]));
    const sample = parse(readFileSync(SAMPLE), { columns: true, delimiter: ";" }) as Record<
      string,
      string
    >[];
    const used = new Set(sample.map((row) => row["Project Identifier"]));
    expect(used.size).toBe(10);
    for (const identifier of used) expect(identifiers.has(identifier)).toBe(true);
    for (const row of sample) expect(row["Contact e-mail"]).toMatch(/@example\.org$/);
  });
});
