import { describe, expect, it } from "vitest";
import { agencyOf, splitProgrammePath, yearInReference } from "./derive.ts";

describe("splitProgrammePath", () => {
  it.each([
    [
      "Culture\\Culture (2007-2013)\\Festivals",
      { programme: "Culture (2007-2013)", action: "Festivals" },
    ],
    [
      "Culture\\Culture (2007-2013)\\Multi-annual Cooperation Projects",
      { programme: "Culture (2007-2013)", action: "Multi-annual Cooperation Projects" },
    ],
    [
      "Education and training\\Life long learning (2007-2013)\\COMENIUS\\Accompanying measures",
      {
        programme: "Life long learning (2007-2013)",
        subProgramme: "COMENIUS",
        action: "Accompanying measures",
      },
    ],
    [
      "Youth\\Youth in action (2007-2013)\\European Voluntary Service",
      { programme: "Youth in action (2007-2013)", action: "European Voluntary Service" },
    ],
    [
      "Education and training\\External Programmes and Policies\\TEMPUS\\Tempus Joint Project - Curricular Reform",
      { programme: "TEMPUS", action: "Tempus Joint Project - Curricular Reform" },
    ],
    [
      "Education and training\\External Programmes and Policies\\Erasmus Mundus\\Joint Programmes: Master Course",
      { programme: "Erasmus Mundus", action: "Joint Programmes: Master Course" },
    ],
    [
      "Education and training\\External Programmes and Policies\\Co-operation with industrialised countries\\Co-operation with other industrialised countries",
      {
        programme: "Co-operation with industrialised countries",
        action: "Co-operation with other industrialised countries",
      },
    ],
    [
      "Sports\\Preparatory Actions and Special Events 2009-2013\\Preparatory actions 2013\\Area 1: Strengthening of good governance and dual careers in sport through support for the mobility of volunteers, coaches, managers and staff of non-profit sport organisations",
      {
        programme: "Preparatory Actions and Special Events 2009-2013",
        subProgramme: "Preparatory actions 2013",
        action:
          "Area 1: Strengthening of good governance and dual careers in sport through support for the mobility of volunteers, coaches, managers and staff of non-profit sport organisations",
      },
    ],
    ["Culture", { programme: "Culture" }],
    [" Culture \\ Culture (2007-2013) \\", { programme: "Culture (2007-2013)" }],
  ])("%s", (path, expected) => {
    expect(splitProgrammePath(path)).toEqual(expected);
  });

  it("returns undefined for an empty path", () => {
    expect(splitProgrammePath(" \\ ")).toBeUndefined();
  });
});

describe("yearInReference", () => {
  it.each([
    ["148838-CU-1-2009-1-HU-CULTURE-VOL11", 2009],
    ["FI-CULT-2008-MOTN-01", 2008],
    ["EAC-2013-0493", 2013],
    ["HR-2-01-2009-R2", 2009],
    ["144522-TEMPUS-2008-DE-JPCR", 2008],
    ["2010-0111", 2010],
    ["EACEA-148838", undefined],
    ["EACEA-COMP-TEM-144522", undefined],
  ])("%s", (reference, year) => {
    expect(yearInReference(reference)).toBe(year);
  });
});

describe("agencyOf", () => {
  it.each([
    ["2014-1-DE03-KA101-000001", "DE03"],
    ["2025-1-AT01-KA121-VET-000306220", "AT01"],
    ["2015-1-LI01-KA101-000034", "LI01"],
    ["553065-EPP-1-2014-1-TR-EPPJMO-CHAIR", "EACEA"],
    ["552237-CREA-1-2014-1-NL-CULT-COOP1", "EACEA"],
    ["EACEA-148838", "EACEA"],
    ["HR-2-01-2009-R2", "EACEA"],
  ])("%s", (identifier, agency) => {
    expect(agencyOf(identifier)).toBe(agency);
  });
});
