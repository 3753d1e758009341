import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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
