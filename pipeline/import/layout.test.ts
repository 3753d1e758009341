import { describe, expect, it } from "vitest";
import {
  columnLetter,
  detectLayout,
  isLayoutError,
  type Layout,
  normaliseHeader,
} from "./layout.ts";
import { openExport } from "./reader.ts";
import { creativeEuropeCsv, cultureCsv, type StubName, stubCsv, stubNames } from "./test-data.ts";

async function layoutOf(path: string): Promise<Layout> {
  const file = await openExport(path);
  await file.rows.return(undefined);
  const layout = detectLayout(file.headers);
  if (isLayoutError(layout)) throw new Error(layout.message);
  return layout;
}

const expectedKinds: Record<StubName, string> = {
  CoopIndustrialisedCountries_Projects_Overview: "legacy-programmes",
  CreativeEurope_Projects_Overview: "creative-europe",
  Culture_2007_2013_Projects_Overview: "legacy-programmes",
  ErasmusMundus_Projects_Overview: "legacy-programmes",
  ErasmusPlus_JeanMonnet_Projects_Overview: "erasmus-plus-2014-2020",
  ErasmusPlus_KA1_2014_LearningMobilityOfIndividuals_Projects_Overview: "erasmus-plus-2014-2020",
  ErasmusPlus_KA1_2015_LearningMobilityOfIndividuals_Projects_Overview: "erasmus-plus-2014-2020",
  ErasmusPlus_KA1_2016_LearningMobilityOfIndividuals_Projects_Overview: "erasmus-plus-2014-2020",
  ErasmusPlus_KA1_2017_LearningMobilityOfIndividuals_Projects_Overview: "erasmus-plus-2014-2020",
  ErasmusPlus_KA1_2018_LearningMobilityOfIndividuals_Projects_Overview: "erasmus-plus-2014-2020",
  ErasmusPlus_KA2_CooperationForInnovationAndTheExchangeOfGoodPractices_Projects_Overview:
    "erasmus-plus-2014-2020",
  ErasmusPlus_KA3_SupportForPolicyReform_Projects_Overview: "erasmus-plus-2014-2020",
  ErasmusPlus_Sports_Projects_Overview: "erasmus-plus-2014-2020",
  LifeLongLearning_Projects_Overview: "legacy-programmes",
  Sports_Projects_Overview: "legacy-programmes",
  Tempus_Projects_Overview: "legacy-programmes",
  YouthInAction_Projects_Overview: "legacy-programmes",
};

describe("detectLayout on real exports", () => {
  it.each(stubNames)("%s", async (name) => {
    const layout = await layoutOf(stubCsv(name));
    expect(layout.kind).toBe(expectedKinds[name]);
    expect(layout.partners).toHaveLength(100);
    expect(layout.columns.identifier).toBeDefined();
    expect(layout.columns.title).toBeDefined();
    expect(layout.columns.euGrant?.index).toBeGreaterThan(0);
    const fieldsPerPartner = layout.kind === "legacy-programmes" ? 4 : 6;
    expect(Object.keys(layout.partners[99] ?? {})).toHaveLength(fieldsPerPartner + 1);
  });

  it("reads the Culture export: 38 partners of 4 fields", async () => {
    const layout = await layoutOf(cultureCsv);
    expect(layout.kind).toBe("legacy-programmes");
    expect(layout.headerCount).toBe(169);
    expect(layout.partners).toHaveLength(38);
    expect(layout.columns.coordinatorName?.header).toBe("Coordinator's name");
    expect(layout.columns.euGrant).toEqual({
      header:
        "EU Grant award in euros (This amount represents the grant awarded after the selection stage and is indicative. Please note that any changes made during or after the project's lifetime will not be reflected here.)",
      index: 7,
      letter: "H",
    });
  });

  it("reads the Creative Europe export", async () => {
    const layout = await layoutOf(creativeEuropeCsv);
    expect(layout.kind).toBe("creative-europe");
    expect(layout.columns.identifier?.header).toBe("Project Number");
    expect(layout.columns.actionType?.header).toBe("Activity type");
    expect(layout.partners).toHaveLength(38);
  });
});

describe("detectLayout on header variants", () => {
  const current = [
    "\ufeffProgramme",
    "Key Action",
    "Action Type",
    "Funding Year",
    "Project Identifier",
    "Project Title",
    "Project Summary",
    "Project or accreditation status",
    "EU Grant award in euros (This amount represents the grant awarded after the selection stage and is indicative. Please note that any changes made during or after the project’s lifetime will not be reflected here.)",
    "Participating Countries",
    "Coordinating organisation name",
    "Partner 1 name",
    "Partner 1 country",
  ];

  it("recognises the 2021-2027 headers", () => {
    const layout = detectLayout(current);
    if (isLayoutError(layout)) throw new Error(layout.message);
    expect(layout.kind).toBe("erasmus-plus-2021-2027");
    expect(layout.columns.callYear?.header).toBe("Funding Year");
    expect(layout.columns.status?.header).toBe("Project or accreditation status");
    expect(layout.columns.countries?.letter).toBe("J");
    expect(layout.columns.euGrant?.index).toBe(8);
    expect(layout.partners).toEqual([
      {
        number: 1,
        name: { header: "Partner 1 name", index: 11, letter: "L" },
        country: { header: "Partner 1 country", index: 12, letter: "M" },
      },
    ]);
  });

  it("names the missing required columns", () => {
    const result = detectLayout(["Name", "Email", "Project Title"]);
    expect(isLayoutError(result)).toBe(true);
    if (!isLayoutError(result)) return;
    expect(result.code).toBe("NOT_AN_EXPORT");
    expect(result.missing).toEqual([
      "Project Identifier (or Project Number)",
      "Programme (or Programme Funding)",
    ]);
    expect(result.message).toContain(
      "missing required column(s) Project Identifier (or Project Number), Programme (or Programme Funding)",
    );
  });

  it("normalises headers", () => {
    expect(normaliseHeader("\ufeff Coordinator’s\u00a0  Website ")).toBe("coordinator's website");
  });

  it.each([
    [0, "A"],
    [25, "Z"],
    [26, "AA"],
    [168, "FM"],
    [621, "WX"],
  ])("column %d is %s", (index, letter) => {
    expect(columnLetter(index)).toBe(letter);
  });
});
