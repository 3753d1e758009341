import { describe, expect, it } from "vitest";
import { mergeByCallYear, mergeByTitle } from "./shards.ts";

describe("mergeByTitle", () => {
  it("joins shards in order", () => {
    const merged = mergeByTitle([
      { results: ["Alpha", "Beta"], callYears: {} },
      { results: [], callYears: {} },
      { results: ["Gamma"], callYears: {} },
    ]);
    expect(merged).toEqual(["Alpha", "Beta", "Gamma"]);
  });
});

describe("mergeByCallYear", () => {
  const cases: {
    name: string;
    shards: { results: string[]; callYears: Record<string, number> }[];
    expected: string[];
  }[] = [
    {
      name: "interleaves years",
      shards: [
        { results: ["a2020", "a2016", "b2016"], callYears: { "2016": 2, "2020": 1 } },
        { results: ["c2021", "d2018"], callYears: { "2018": 1, "2021": 1 } },
      ],
      expected: ["c2021", "a2020", "d2018", "a2016", "b2016"],
    },
    {
      name: "keeps shard order within a year",
      shards: [
        { results: ["first"], callYears: { "2019": 1 } },
        { results: ["second"], callYears: { "2019": 1 } },
      ],
      expected: ["first", "second"],
    },
    {
      name: "ignores years without hits",
      shards: [
        { results: ["x"], callYears: { "2022": 0, "2014": 1 } },
        { results: ["y"], callYears: { "2015": 1, "2030": 0 } },
      ],
      expected: ["y", "x"],
    },
    {
      name: "puts uncounted hits last",
      shards: [
        { results: ["counted", "extra"], callYears: { "2010": 1 } },
        { results: ["older"], callYears: { "2009": 1 } },
      ],
      expected: ["counted", "older", "extra"],
    },
    { name: "no shards", shards: [], expected: [] },
  ];

  for (const { name, shards, expected } of cases) {
    it(name, () => {
      expect(mergeByCallYear(shards)).toEqual(expected);
    });
  }
});
