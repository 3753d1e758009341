import { describe, expect, it } from "vitest";
import { detectLayout, isLayoutError, type Layout } from "./layout.ts";
import { type ImportedCard, type MappedRow, type RowIssue, rowToCard } from "./map.ts";
import { type ExportRow, openExport } from "./reader.ts";
import { creativeEuropeCsv, cultureCsv, type StubName, stubCsv } from "./test-data.ts";

interface Mapped {
  row: ExportRow;
  result: MappedRow;
}

async function mapFile(path: string): Promise<Map<string, Mapped>> {
  const file = await openExport(path);
  const layout = detectLayout(file.headers) as Layout;
  if (isLayoutError(layout)) throw new Error(layout.message);
  const byId = new Map<string, Mapped>();
  for await (const row of file.rows) {
    const result = rowToCard(row, layout);
    if (!result.ok) throw new Error(`row ${row.line} rejected: ${JSON.stringify(result.issues)}`);
    byId.set(result.card.id, { row, result });
  }
  return byId;
}

async function card(
  path: string,
  id: string,
): Promise<{ card: ImportedCard; issues: RowIssue[]; line: number }> {
  const found = (await mapFile(path)).get(id);
  if (found === undefined || !found.result.ok) throw new Error(`${id} not found in ${path}`);
  return { card: found.result.card, issues: found.result.issues, line: found.row.line };
}

async function stubCard(name: StubName): Promise<ImportedCard> {
  const [only] = (await mapFile(stubCsv(name))).values();
  if (only === undefined || !only.result.ok) throw new Error(`no card in ${name}`);
  return only.result.card;
}

describe("rowToCard on the Culture 2007-2013 export", () => {
  it("maps the ECHO project: grant, dates, countries and partners", async () => {
    const { card: echo, issues, line } = await card(cultureCsv, "EACEA-508106");
    expect(line).toBe(1251);
    expect(issues).toEqual([]);

    expect(echo.programme).toBe("Culture (2007-2013)");
    expect(echo.action).toBe("Multi-annual Cooperation Projects");
    expect(echo.subProgramme).toBeUndefined();
    expect(echo.callYear).toBe(2010);
    expect(echo.externalReference).toBe("508106-CU-1-2010-1-BE-CULTURE-VOL11");
    expect(echo.startDate).toBe("2010-09-01");
    expect(echo.endDate).toBe("2015-08-31");
    expect(echo.euGrant).toBe(1657050);
    expect(echo.countries).toEqual(["BE", "DE", "ES", "FR", "EL", "LU", "NL", "SE", "UK"]);
    expect(echo.agency).toBe("EACEA");
    expect(echo.language).toBe("en");

    expect(echo.title).toBe(
      "A. Promotion of young interpreters in Europe (Rising Stars)\nB. Organization of training sessions for staff members of EU concert halls\nC. Artistic  platform for the elaboration of new programmes and new productions",
    );
    expect(echo.summary).toContain(
      "EU.\n\nECHO members thus want, for the largest possible audience and for all cultures/regions\n- to explore, open up and preserve music repertoire\n- to stimulate and participate new (music) creation\n",
    );

    expect(echo.coordinator).toEqual({
      name: "EUROPEAN CONCERT HALL ORGANISATION",
      address: "Ravenstein Street 23, 1000 Brussels",
      country: "BE",
      websites: ["https://echo.securespsites.com/"],
      type: undefined,
      region: undefined,
    });
    expect(echo.partners).toHaveLength(11);
    expect(echo.partners?.[1]).toMatchObject({
      name: "HamburgMusik gGmbH Elbphilharmonie und Laeiszhalle Betriebsg.",
      address: "Laeiszhalle Hamburg, Dammtorwall 46, 20355 Hamburg",
      country: "DE",
      websites: ["http://www.elbphilharmonie.de"],
    });
    expect(echo.sourceUrl).toBe(
      "https://ec.europa.eu/programmes/creative-europe/projects/ce-project-details/#project/508106-CU-1-2010-1-BE-CULTURE-VOL11",
    );
  });

  it("keeps the paragraphs and bullets of a French summary", async () => {
    const { card: m4m } = await card(cultureCsv, "EACEA-513515");
    expect(m4m.language).toBe("fr");
    expect(m4m.summary).toContain(
      "l’expérience transdisciplinaire. \n\nM4m vise à :\n• faire émerger une communauté d'artistes",
    );
    expect(m4m.coordinator?.websites).toEqual([
      "http://www.tanecpraha.cz",
      "http://www.divadloponec.cz",
    ]);
  });

  it("drops the junk country token Box with a warning", async () => {
    const { card: books, issues } = await card(cultureCsv, "EACEA-148837");
    expect(books.countries).toEqual(["AT", "DE", "SI", "HU", "CZ", "SK", "DK", "PT", "FR", "EE"]);
    expect(issues).toContainEqual({
      severity: "warning",
      code: "INVALID_COUNTRY",
      reason: "expected a two-letter country code such as BE or EL",
      column: { header: "Participating countries", index: 12, letter: "M" },
      value: "Box",
    });
  });

  it("never publishes an e-mail address from a website cell", async () => {
    const { card: moussem, issues } = await card(cultureCsv, "EACEA-513564");
    expect(moussem.countries).toEqual(["BE", "NL", "FR", "UK"]);
    expect(moussem.euGrant).toBe(200000);
    expect(moussem.website).toBe("http://www.moussem.eu");
    expect(moussem.coordinator?.websites).toEqual([]);
    expect(JSON.stringify(moussem)).not.toContain("info@moussem.be");
    expect(issues).toEqual([
      {
        severity: "warning",
        code: "EMAIL_IN_WEBSITE",
        reason: "an e-mail address is not a website and is not published",
        column: { header: "Coordinator's website", index: 16, letter: "Q" },
        value: "***@moussem.be",
      },
    ]);
  });

  it("trims a title and keeps a multi-line address", async () => {
    const { card: space, line } = await card(cultureCsv, "EACEA-COMP-CULT-05");
    expect(line).toBe(7);
    expect(space.title).toBe("A SPACE FOR LIVE ART");
    expect(space.callYear).toBe(2008);
    expect(space.coordinator?.name).toBe("LES HALLES DE SCHAERBEEK ASBL");
    expect(space.coordinator?.address).toBe("Rue Royale Ste Marie 22b\n1030 Schaerbeek");
  });
});

describe("rowToCard on the Creative Europe export", () => {
  it("maps an ISO-dated row with a float grant", async () => {
    const { card: makers } = await card(creativeEuropeCsv, "552237-CREA-1-2014-1-NL-CULT-COOP1");
    expect(makers).toMatchObject({
      programme: "Creative Europe",
      subProgramme: "Culture",
      action: "Cooperation projects",
      callYear: 2014,
      title: "International Young Makers in Action",
      status: "completed",
      euGrant: 200000,
      countries: ["NL", "ES", "IT", "BA", "PL", "UK"],
      agency: "EACEA",
      coordinator: {
        name: "STICHTING ITS FESTIVAL",
        type: "Festival (non Audiovisual)",
        address: "TOLHUISWEG 2, 1031 CL, AMSTERDAM",
        region: "Noord-Holland",
        country: "NL",
      },
    });
    expect(makers.startDate).toMatch(/^2014-\d\d-\d\d$/);
    expect(makers.partners?.[0]).toMatchObject({
      name: "TEATRAKO TEATRO ELKARTEA",
      type: "Festival (non Audiovisual)",
      region: "Extra-Regio NUTS 2",
      country: "ES",
      websites: ["http://www.actfestival.com"],
    });
  });
});

describe("rowToCard on the one-record stubs", () => {
  it("maps Erasmus+ KA1 2014 with its National Agency", async () => {
    const ka1 = await stubCard(
      "ErasmusPlus_KA1_2014_LearningMobilityOfIndividuals_Projects_Overview",
    );
    expect(ka1).toMatchObject({
      id: "2014-1-DE03-KA101-000001",
      programme: "Erasmus+",
      subProgramme: "Learning Mobility of Individuals",
      actionType: "School education staff mobility",
      callYear: 2014,
      status: "completed",
      euGrant: 2605,
      topics: ["Teaching and learning of foreign languages"],
      countries: ["DE"],
      agency: "DE03",
      goodPractice: false,
      coordinator: {
        name: "Primo-Levi-Gymnasium",
        type: "School/Institute/Educational centre – General education (secondary level)",
        address: "Pistoriusstraße 133, 13086, Berlin",
        region: "BERLIN",
        country: "DE",
        websites: ["http://www.gymnasium-weissensee.cidsnet.de"],
      },
      partners: [],
    });
    expect(ka1.action).toBeUndefined();
    expect(ka1.summary?.startsWith('1 Background: \nProject "e-twinning" an "inter-cultural')).toBe(
      true,
    );
  });

  it("maps Erasmus+ KA1 2017 partners and website", async () => {
    const ka1 = await stubCard(
      "ErasmusPlus_KA1_2017_LearningMobilityOfIndividuals_Projects_Overview",
    );
    expect(ka1.title).toBe(
      "Internationalization of the school through innovative methods and greater use of ICT in teaching",
    );
    expect(ka1.status).toBe("ongoing");
    expect(ka1.agency).toBe("RS01");
    expect(ka1.website).toBe("http://nadausavrsavanje.weebly.com");
    expect(ka1.countries).toEqual(["RS", "CZ"]);
    expect(ka1.partners).toEqual([
      {
        name: "Zakladni skola a materska skola Ostrava-Zabreh, Kosmonautu 15, prispevkova organizace",
        type: "School/Institute/Educational centre – General education (primary level)",
        address: "Kosmonautů 2217/15, 700 30, Ostrava",
        region: "Moravskoslezský kraj",
        country: "CZ",
        websites: ["http://www.kosmonautu15.cz"],
      },
    ]);
  });

  it("keeps a Facebook link as the project website", async () => {
    const sport = await stubCard("ErasmusPlus_Sports_Projects_Overview");
    expect(sport.website).toBe("https://www.facebook.com/groups/578506935585056/");
    expect(sport.resultsAvailable).toBe(true);
    expect(sport.coordinator?.region).toBe("Panevėžio apskritis");
  });

  it("maps Jean Monnet topics and a bilingual title", async () => {
    const chair = await stubCard("ErasmusPlus_JeanMonnet_Projects_Overview");
    expect(chair.title).toBe(
      "Building bridges with Europe and with the world  EN Avrupa ile Dunya arasinda Kopru Insasi TR",
    );
    expect(chair.topics).toEqual([
      "Economic and financial affairs (incl. funding issues)",
      "International cooperation, international relations, development cooperation",
    ]);
    expect(chair.euGrant).toBe(50000);
    expect(chair.agency).toBe("EACEA");
  });

  it("maps the Creative Europe stub", async () => {
    const elit = await stubCard("CreativeEurope_Projects_Overview");
    expect(elit).toMatchObject({
      id: "552144-CREA-1-2014-1-AT-CULT-COOP1",
      actionType: "Creative writing, Translation, Publishing",
      startDate: "2015-01-01",
      endDate: "2018-12-31",
      euGrant: 200000,
      status: "ongoing",
    });
    expect(elit.coordinator?.region).toBe("Niederösterreich");
  });

  const legacy: [StubName, Partial<ImportedCard>][] = [
    [
      "Culture_2007_2013_Projects_Overview",
      {
        id: "FI-CULT-2008-MOTN-01",
        programme: "Culture (2007-2013)",
        action: "Multi-annual Cooperation Projects",
        callYear: 2008,
        startDate: "2006-05-01",
        endDate: "2009-04-30",
        website: "http://www.parts.be",
      },
    ],
    [
      "LifeLongLearning_Projects_Overview",
      {
        id: "EACEA-509925",
        programme: "Life long learning (2007-2013)",
        subProgramme: "COMENIUS",
        action: "Accompanying measures",
        callYear: 2010,
        externalReference: "509925-LLP-1-2010-1-RO-COMENIUS-CAM",
        countries: ["RO", "EL", "SK", "BG"],
      },
    ],
    [
      "YouthInAction_Projects_Overview",
      {
        id: "HR-2-01-2009-R2",
        programme: "Youth in action (2007-2013)",
        action: "European Voluntary Service",
        callYear: 2009,
        externalReference: "2006-SI-23",
      },
    ],
    [
      "Tempus_Projects_Overview",
      {
        id: "EACEA-COMP-TEM-144522",
        programme: "TEMPUS",
        action: "Tempus Joint Project - Curricular Reform",
        callYear: 2008,
      },
    ],
    [
      "ErasmusMundus_Projects_Overview",
      {
        id: "EACEA-159061",
        programme: "Erasmus Mundus",
        action: "Joint Programmes: Master Course",
        callYear: 2010,
        externalReference: "2010-0111",
      },
    ],
    [
      "CoopIndustrialisedCountries_Projects_Overview",
      {
        id: "EACEA-168191",
        programme: "Co-operation with industrialised countries",
        action: "Co-operation with other industrialised countries",
        callYear: 2009,
        sourceUrl:
          "https://ec.europa.eu/programmes/erasmus-plus/projects/eplus-project-details/#project/168191-EM-1-2009-1-PL-ERA%20MUNDUS-ICI",
      },
    ],
    [
      "Sports_Projects_Overview",
      {
        id: "EAC-2013-0493",
        programme: "Preparatory Actions and Special Events 2009-2013",
        subProgramme: "Preparatory actions 2013",
        callYear: 2013,
        euGrant: 240000,
        goodPractice: true,
        successStory: true,
        countries: ["UK", "AT", "FR", "SE", "FI", "IE", "NL"],
      },
    ],
  ];

  it.each(legacy)("derives the legacy programme of %s", async (name, expected) => {
    const mapped = await stubCard(name);
    expect(mapped).toMatchObject({ ...expected, agency: "EACEA" });
  });

  it("keeps Youth in Action address lines", async () => {
    const youth = await stubCard("YouthInAction_Projects_Overview");
    expect(youth.coordinator?.address).toBe("Vocarska 17\n32000 Vukovar");
  });
});

describe("rowToCard on edge cases", () => {
  const headers = [
    "Programme",
    "Key Action",
    "Action Type",
    "Call year",
    "Project Identifier",
    "Project Title",
    "Project Summary",
    "Start date",
    "Partner 1 name",
    "Partner 1 country",
    "Partner 2 name",
    "Partner 2 country",
    "Partner 3 name",
    "Partner 3 country",
  ];
  const layout = detectLayout(headers) as Layout;
  const row = (values: Record<string, string>): ExportRow => ({ line: 2, values, fieldCount: 14 });
  const base = {
    Programme: "Erasmus+",
    "Project Identifier": "2014-1-DE03-KA101-000001",
    "Project Title": "T",
  };

  it.each([
    ["2014-1-DE03\nKA101", "the identifier contains control characters", "2014-1-DE03\\nKA101"],
    ["..", "the identifier is a relative path segment (. or ..)", ".."],
    [
      "../../../tmp/pwned",
      "the identifier contains a path separator (/ or \\)",
      "../../../tmp/pwned",
    ],
  ])("rejects the identifier %j", (id, problem, shown) => {
    const result = rowToCard(row({ ...base, "Project Identifier": id }), layout);
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual([
      {
        severity: "rejected",
        code: "INVALID_IDENTIFIER",
        reason: `${problem}: "${shown}"; correct the identifier in the grant-management system and export again`,
        column: layout.columns.identifier,
        value: shown,
      },
    ]);
  });

  it("accepts an identifier with a space", () => {
    const id = "168191-EM-1-2009-1-PL-ERA MUNDUS-ICI";
    const result = rowToCard(row({ ...base, "Project Identifier": id }), layout);
    expect(result.ok && result.card.id).toBe(id);
  });

  it("cuts an overlong summary, title and partner name", () => {
    const summary = `${"word ".repeat(30_000)}end`;
    const title = "t".repeat(2_500);
    const partner = `Org ${"n".repeat(12_000)}`;
    const result = rowToCard(
      row({
        ...base,
        "Project Title": title,
        "Project Summary": summary,
        "Partner 1 name": partner,
      }),
      layout,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.card.summary ?? "").toHaveLength(99_999);
    expect(result.card.summary?.endsWith("word")).toBe(true);
    expect(result.card.title).toBe("t".repeat(2_000));
    expect(result.card.partners?.[0]?.name).toBe(`Org ${"n".repeat(9_996)}`);
    const truncated = result.issues.filter((issue) => issue.code === "FIELD_TRUNCATED");
    expect(truncated.map((issue) => [issue.column?.header, issue.reason])).toEqual([
      [
        "Project Title",
        "the value has 2500 characters, more than the maximum of 2000; it is cut at a word boundary to 2000 characters",
      ],
      [
        "Project Summary",
        "the value has 150003 characters, more than the maximum of 100000; it is cut at a word boundary to 99999 characters",
      ],
      [
        "Partner 1 name",
        "the value has 12004 characters, more than the maximum of 10000; it is cut at a word boundary to 10000 characters",
      ],
    ]);
    expect(truncated.every((issue) => issue.severity === "warning")).toBe(true);
  });

  it("leaves a long but allowed summary alone", () => {
    const summary = "s ".repeat(49_999).trim();
    const result = rowToCard(row({ ...base, "Project Summary": summary }), layout);
    expect(result.ok && result.card.summary).toBe(summary);
    expect(result.issues).toEqual([]);
  });

  it("rejects a row without identifier or title", () => {
    const result = rowToCard(row({ Programme: "Erasmus+" }), layout);
    expect(result.ok).toBe(false);
    expect(result.issues.map((issue) => issue.code)).toEqual([
      "MISSING_IDENTIFIER",
      "MISSING_TITLE",
    ]);
    expect(result.issues[1]).toEqual({
      severity: "rejected",
      code: "MISSING_TITLE",
      reason: "the project title is empty",
      column: { header: "Project Title", index: 5, letter: "F" },
      value: undefined,
    });
  });

  it("drops a bad date and keeps the row", () => {
    const result = rowToCard(row({ ...base, "Start date": "31/02/2015" }), layout);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.card.startDate).toBeUndefined();
    expect(result.issues).toEqual([
      {
        severity: "warning",
        code: "INVALID_DATE",
        reason: "expected a date as dd/mm/yyyy, YYYY-MM-DD or a spreadsheet date",
        column: { header: "Start date", index: 7, letter: "H" },
        value: "31/02/2015",
      },
    ]);
  });

  it("keeps partner numbers after a gap", () => {
    const result = rowToCard(
      row({ ...base, "Partner 1 name": "A", "Partner 3 name": "C", "Partner 3 country": "FR" }),
      layout,
    );
    if (!result.ok) throw new Error("rejected");
    expect(result.card.partners).toEqual([
      { name: "A", websites: [], type: undefined, address: undefined, region: undefined },
      {
        name: "C",
        country: "FR",
        number: 3,
        websites: [],
        type: undefined,
        address: undefined,
        region: undefined,
      },
    ]);
  });

  it("warns about a partner without a name", () => {
    const result = rowToCard(row({ ...base, "Partner 2 country": "FR" }), layout);
    if (!result.ok) throw new Error("rejected");
    expect(result.card.partners).toEqual([]);
    expect(result.issues).toEqual([
      {
        severity: "warning",
        code: "MISSING_ORGANISATION_NAME",
        reason: "partner 2 has details but no name, so it is left out",
        column: { header: "Partner 2 name", index: 10, letter: "K" },
        value: "",
      },
    ]);
  });

  it("takes the call year from the identifier when the column is empty", () => {
    const result = rowToCard(row(base), layout);
    if (!result.ok) throw new Error("rejected");
    expect(result.card.callYear).toBe(2014);
    expect(result.card.language).toBeUndefined();
  });
});

describe("rowToCard on the 2021-2027 headers", () => {
  const layout = detectLayout([
    "Programme",
    "Key Action",
    "Action Type",
    "Funding Year",
    "Project Identifier",
    "Project Title",
    "Project or accreditation status",
    "Participating Countries",
  ]) as Layout;

  it("links the card on the current platform", () => {
    const result = rowToCard(
      {
        line: 2,
        fieldCount: 8,
        values: {
          Programme: "Erasmus+",
          "Key Action": "Learning Mobility of Individuals",
          "Action Type": "Accredited projects for mobility of learners and staff in VET",
          "Funding Year": "2025",
          "Project Identifier": "2025-1-AT01-KA121-VET-000306220",
          "Project Title": "Mobility 2025",
          "Project or accreditation status": "Ongoing",
          "Participating Countries": "AT, DE, IT",
        },
      },
      layout,
    );
    if (!result.ok) throw new Error("rejected");
    expect(layout.kind).toBe("erasmus-plus-2021-2027");
    expect(result.card).toMatchObject({
      agency: "AT01",
      callYear: 2025,
      status: "ongoing",
      countries: ["AT", "DE", "IT"],
      sourceUrl:
        "https://erasmus-plus.ec.europa.eu/projects/search/details/2025-1-AT01-KA121-VET-000306220",
    });
    expect(result.issues).toEqual([]);
  });
});
