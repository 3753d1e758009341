import { describe, expect, test } from "vitest";
import { cardRelativePath, identifierFileStem, slugify } from "./paths.ts";

describe("slugify", () => {
  test.each([
    ["Erasmus+", "erasmus-plus"],
    ["Creative Europe", "creative-europe"],
    ["Culture (2007-2013)", "culture-2007-2013"],
    ["Youth in action (2007-2013)", "youth-in-action-2007-2013"],
    ["Niederösterreich", "niederosterreich"],
    ["", "unnamed"],
  ])("%s", (text, slug) => {
    expect(slugify(text)).toBe(slug);
  });
});

describe("identifierFileStem", () => {
  test.each([
    ["2014-1-DE03-KA101-000001", "2014-1-de03-ka101-000001"],
    ["EACEA-COMP-TEM-144522", "eacea-comp-tem-144522"],
    ["168191-EM-1-2009-1-PL-ERA MUNDUS-ICI", "168191-em-1-2009-1-pl-era_mundus-ici"],
    ["../../etc/passwd", "etc_passwd"],
    ["CON", "con_"],
    ["a\u0000b", "a_b"],
  ])("%s", (identifier, stem) => {
    expect(identifierFileStem(identifier)).toBe(stem);
  });
});

test("cardRelativePath joins programme and identifier", () => {
  expect(cardRelativePath("Erasmus+", "2014-1-LI01-KA200-000005")).toBe(
    "projects/erasmus-plus/2014-1-li01-ka200-000005.md",
  );
});
