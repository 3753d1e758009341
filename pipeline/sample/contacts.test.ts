import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contactEmails, importContactsFile } from "../contacts/import.ts";
import {
  deadlineState,
  SAMPLE_CONTACTS_PER_STATE,
  selectSampleContacts,
  writeSampleContacts,
} from "./contacts.ts";
import { generateCards } from "./generate.ts";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "sample-contacts-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("deadlineState", () => {
  it.each([
    ["2026-07-01", "2026-06-30", "ongoing"],
    ["2026-06-30", "2026-06-30", "submittable"],
    ["2024-06-30", "2026-06-30", "submittable"],
    ["2024-06-29", "2026-06-30", "locked"],
    ["2024-02-29", "2026-03-01", "submittable"],
    ["2024-02-29", "2026-03-02", "locked"],
    ["2015-12-31", "2026-06-30", "locked"],
  ])("ends %s, at %s: %s", (endDate, asOf, state) => {
    expect(deadlineState(endDate, asOf)).toBe(state);
  });
});

describe("selectSampleContacts", () => {
  const contacts = selectSampleContacts(500, "eu-project-results");

  it("covers each state equally", () => {
    expect(contacts).toHaveLength(3 * SAMPLE_CONTACTS_PER_STATE);
    for (const state of ["ongoing", "submittable", "locked"]) {
      expect(contacts.filter((contact) => contact.state === state)).toHaveLength(
        SAMPLE_CONTACTS_PER_STATE,
      );
    }
  });

  it("names sample cards in card order", () => {
    const ids = [...generateCards(500, "eu-project-results")].map((card) => card.id);
    const positions = contacts.map((contact) => ids.indexOf(contact.projectId));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(contacts.map((contact) => contact.email)).toEqual(
      contacts.map((_, index) => `coordinator.${index + 1}@example.org`),
    );
  });

  it("stops at the cards available", () => {
    const few = selectSampleContacts(3, "eu-project-results");
    expect(few.length).toBeLessThanOrEqual(3);
    expect(selectSampleContacts(0, "eu-project-results")).toEqual([]);
  });
});

describe("writeSampleContacts", () => {
  it("writes a feed the importer accepts", async () => {
    const path = join(folder, "feed", "contacts.csv");
    const contacts = await writeSampleContacts(path, 500, "eu-project-results");
    const databasePath = join(folder, "editor.db");
    const report = await importContactsFile(path, { databasePath });
    expect(report.issues).toEqual([]);
    expect(report.imported).toBe(contacts.length);

    const db = new DatabaseSync(databasePath);
    try {
      const first = contacts[0];
      expect(contactEmails(db, first?.projectId as string)).toEqual([first?.email]);
    } finally {
      db.close();
    }
  });

  it("repeats byte for byte", async () => {
    await writeSampleContacts(join(folder, "a.csv"), 300, "seed-5");
    await writeSampleContacts(join(folder, "b.csv"), 300, "seed-5");
    const first = await readFile(join(folder, "a.csv"), "utf8");
    expect(await readFile(join(folder, "b.csv"), "utf8")).toBe(first);
    expect(first.split("\n")[0]).toBe(
      "Project Identifier;Contact name;Contact e-mail;Contact phone;Contact role;Organisation",
    );
  });
});
