import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CardInput, cardPath, parseCard, writeCardFile } from "../card/index.ts";
import { writeSampleCards } from "../sample/write.ts";
import { ERASMUS_PLUS_HEADERS, GRANT_HEADER } from "./layout.ts";
import { exportOpenData } from "./open-data.ts";

const clock = () => new Date("2026-12-04T12:00:00.000Z");

const ka2: CardInput = {
  id: "2019-1-DE02-KA204-005678",
  programme: "Erasmus+",
  subProgramme: "Cooperation for innovation and the exchange of good practices",
  actionType: "Strategic Partnerships for adult education",
  callYear: 2019,
  title: "Lernen im Quartier, gemeinsam",
  status: "completed",
  euGrant: 112527.5,
  topics: ["Inclusion - equity", "Social dialogue"],
  countries: ["DE", "EL", "UK"],
  coordinator: {
    name: "Volkshochschule Köln e.V.",
    type: "Other",
    address: "Hauptstraße 1\r\n50667 Köln",
    region: "Köln",
    country: "DE",
    websites: ["http://www.vhs-koeln.de", "https://quartier.example.eu/"],
  },
  partners: [
    { name: 'ODOS ERMOU "TEST"', country: "EL", region: "Aττική (Attiki)", websites: [] },
    { name: "Cardiff Trust", type: "Foundation", country: "UK", websites: [], number: 3 },
  ],
  goodPractice: true,
  successStory: false,
  resultsAvailable: false,
  website: "https://lernen.example.eu/",
  sourceUrl:
    "https://ec.europa.eu/programmes/erasmus-plus/projects/eplus-project-details/#project/2019-1-DE02-KA204-005678",
  agency: "DE02",
  language: "de",
  summary: "Erster Absatz, mit Komma.\n\n- Punkt eins\n- Punkt zwei",
  editorial: {
    website: "https://www.vhs-koeln.de/quartier",
    results: [
      { id: "r1", title: "Handbuch", description: "Öffentlich", published: true },
      {
        id: "r2",
        title: "Entwurf-INTERN-42",
        description: "Nicht veröffentlicht",
        published: false,
      },
    ],
    contacts: [
      { organisation: "coordinator", name: "Anna Novak", email: "anna@example.org", public: true },
      {
        organisation: "partner-1",
        name: "Hidden Person",
        email: "hidden.person@example.org",
        phone: "+30 210 000 0000",
        public: false,
      },
    ],
    review: { state: "approved", updatedAt: "2026-11-30T10:00:00.000Z" },
  },
};

const formulas: CardInput = {
  id: "EACEA-100001",
  programme: "Culture (2007-2013)",
  action: "Festivals",
  title: '=HYPERLINK("http://bad.example","click")',
  countries: [],
  coordinator: { name: "@SUM(A1:A9)", address: "+33 rue", websites: [] },
  agency: "EACEA",
  summary: "-2+3 is a formula to a spreadsheet",
};

let folder: string;
let contentDir: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "open-data-"));
  contentDir = join(folder, "content");
  for (const card of [ka2, formulas]) {
    await writeCardFile(cardPath(contentDir, card.programme, card.id), card);
  }
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function csvRows(outDir: string): Promise<Record<string, string>[]> {
  const text = await readFile(join(outDir, "projects.csv"), "utf8");
  return parse(text, { bom: true, columns: true });
}

describe("exportOpenData", () => {
  it("writes the Erasmus+ layout with exact values", async () => {
    const out = join(folder, "out");
    const summary = await exportOpenData(contentDir, out, { now: clock });
    expect(summary.cards).toBe(2);

    const text = await readFile(join(out, "projects.csv"), "utf8");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const header = parse(text, { bom: true, to: 1 })[0];
    expect(header).toEqual(ERASMUS_PLUS_HEADERS);

    const rows = await csvRows(out);
    const row = rows.find((entry) => entry["Project Identifier"] === ka2.id) as Record<
      string,
      string
    >;
    expect(row.Programme).toBe("Erasmus+");
    expect(row["Key Action"]).toBe(ka2.subProgramme);
    expect(row["Action Type"]).toBe(ka2.actionType);
    expect(row["Call year"]).toBe("2019");
    expect(row["Project Title"]).toBe(ka2.title);
    expect(row.Topics).toBe("Inclusion - equity; Social dialogue");
    expect(row["Project Summary"]).toBe(ka2.summary);
    expect(row["Project Status"]).toBe("finalized");
    expect(row[GRANT_HEADER]).toBe("112527.50");
    expect(row["Is Good Practice"]).toBe("Yes");
    expect(row["Is Success Story"]).toBe("No");
    expect(row["Project Website"]).toBe("https://lernen.example.eu/");
    expect(row["Results Available"]).toBe("Yes");
    expect(row["Results Platform Project Card"]).toBe(ka2.sourceUrl);
    expect(row["Participating countries"]).toBe("DE,EL,UK");
    expect(row["Coordinating organisation name"]).toBe("Volkshochschule Köln e.V.");
    expect(row["Coordinator's address"]).toBe("Hauptstraße 1\r\n50667 Köln");
    expect(row["Coordinator's website"]).toBe(
      "http://www.vhs-koeln.de; https://quartier.example.eu/",
    );
    expect(row["Partner 1 name"]).toBe('ODOS ERMOU "TEST"');
    expect(row["Partner 1 region"]).toBe("Aττική (Attiki)");
    expect(row["Partner 2 name"]).toBe("");
    expect(row["Partner 3 name"]).toBe("Cardiff Trust");
    expect(row["Partner 3 organisation type"]).toBe("Foundation");
    expect(row["Partner 100 website"]).toBe("");
  });

  it("publishes only published results and public contacts", async () => {
    const out = join(folder, "out");
    await exportOpenData(contentDir, out, { now: clock });
    const jsonText = await readFile(join(out, "projects.json"), "utf8");
    const csvText = await readFile(join(out, "projects.csv"), "utf8");
    for (const secret of [
      "Entwurf-INTERN-42",
      "hidden.person@example.org",
      "Hidden Person",
      "+30 210",
    ]) {
      expect(jsonText).not.toContain(secret);
      expect(csvText).not.toContain(secret);
    }
    expect(jsonText).not.toContain('"review"');

    const cards = JSON.parse(jsonText);
    expect(cards).toHaveLength(2);
    const card = cards.find((entry: { id: string }) => entry.id === ka2.id);
    expect(card.editorial.results.map((result: { id: string }) => result.id)).toEqual(["r1"]);
    expect(card.editorial.contacts).toEqual([
      { organisation: "coordinator", name: "Anna Novak", email: "anna@example.org", public: true },
    ]);
    expect(card.editorial.website).toBe("https://www.vhs-koeln.de/quartier");
    expect(card.summary).toBe(ka2.summary);
    expect(parseCard(card).partners[1]?.number).toBe(3);
  });

  it("exports officer labels", async () => {
    const labelled: CardInput = {
      ...formulas,
      id: "EACEA-100002",
      title: "Labelled by an officer",
      editorial: { labels: { goodPractice: false, successStory: true } },
    };
    await writeCardFile(cardPath(contentDir, labelled.programme, labelled.id), labelled);
    const out = join(folder, "out");
    await exportOpenData(contentDir, out, { now: clock });

    const row = (await csvRows(out)).find((entry) => entry["Project Identifier"] === labelled.id);
    expect(row?.["Is Success Story"]).toBe("Yes");
    expect(row?.["Is Good Practice"]).toBe("Yes");
    const cards = JSON.parse(await readFile(join(out, "projects.json"), "utf8"));
    const card = cards.find((entry: { id: string }) => entry.id === labelled.id);
    expect(card.successStory).toBe(true);
    expect(card.goodPractice).toBe(true);
  });

  it("neutralises formulas in CSV cells", async () => {
    const out = join(folder, "out");
    await exportOpenData(contentDir, out, { now: clock });
    const row = (await csvRows(out)).find((entry) => entry["Project Identifier"] === formulas.id);
    expect(row?.["Project Title"]).toBe(`'${formulas.title}`);
    expect(row?.["Project Summary"]).toBe(`'${formulas.summary}`);
    expect(row?.["Coordinating organisation name"]).toBe("'@SUM(A1:A9)");
    expect(row?.["Coordinator's address"]).toBe("'+33 rue");
    expect(row?.["Action Type"]).toBe("Festivals");

    const json = JSON.parse(await readFile(join(out, "projects.json"), "utf8"));
    const card = json.find((entry: { id: string }) => entry.id === formulas.id);
    expect(card.title).toBe(formulas.title);
  });

  it("describes the files in datapackage.json", async () => {
    const out = join(folder, "out");
    const summary = await exportOpenData(contentDir, out, { now: clock });
    const description = JSON.parse(await readFile(join(out, "datapackage.json"), "utf8"));
    expect(description.created).toBe("2026-12-04T12:00:00.000Z");
    expect(description.licenses[0].name).toBe("CC-BY-4.0");
    expect(description.attribution).toBe("© European Union");
    const [csv, json] = description.resources;
    expect(csv.path).toBe("projects.csv");
    expect(csv.rows).toBe(2);
    expect(csv.bytes).toBe(summary.files.csv.bytes);
    expect(csv.hash).toBe(`sha256:${summary.files.csv.sha256}`);
    expect(csv.schema.fields).toHaveLength(622);
    expect(json.path).toBe("projects.json");
    expect(json.rows).toBe(2);
  });

  it("repeats byte for byte", async () => {
    await writeSampleCards(contentDir, 150, "export-test", { workers: 0 });
    const first = join(folder, "first");
    const second = join(folder, "second");
    await exportOpenData(contentDir, first, { now: clock });
    await exportOpenData(contentDir, second, { now: clock });
    for (const name of ["projects.csv", "projects.json", "datapackage.json"]) {
      expect(await readFile(join(second, name))).toEqual(await readFile(join(first, name)));
    }
    expect(await csvRows(first)).toHaveLength(152);
  });

  it("skips invalid cards and exports the rest", async () => {
    const out = join(folder, "out");
    const programmeDir = join(contentDir, "projects", "erasmus-plus");
    await writeFile(join(programmeDir, "binary.md"), Buffer.from([0, 159, 146, 150, 255, 0, 1]));
    await writeFile(join(programmeDir, "empty.md"), "");
    await writeFile(join(programmeDir, "yaml.md"), "---\nid: [\n---\n");

    const summary = await exportOpenData(contentDir, out, { now: clock });

    expect(summary.cards).toBe(2);
    expect(summary.skipped.map((entry) => entry.file)).toEqual([
      join("projects", "erasmus-plus", "binary.md"),
      join("projects", "erasmus-plus", "empty.md"),
      join("projects", "erasmus-plus", "yaml.md"),
    ]);
    for (const entry of summary.skipped) expect(entry.reason).toMatch(/invalid/);
    expect(await csvRows(out)).toHaveLength(2);
    expect(JSON.parse(await readFile(join(out, "projects.json"), "utf8"))).toHaveLength(2);
    expect((await readdir(out)).sort()).toEqual([
      "datapackage.json",
      "projects.csv",
      "projects.json",
    ]);
  });

  it("writes empty files for an empty folder", async () => {
    const out = join(folder, "out");
    const summary = await exportOpenData(join(folder, "none"), out, { now: clock });
    expect(summary.cards).toBe(0);
    expect(JSON.parse(await readFile(join(out, "projects.json"), "utf8"))).toEqual([]);
    expect(await csvRows(out)).toEqual([]);
  });
});
