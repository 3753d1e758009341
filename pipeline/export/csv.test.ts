import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvField, csvRecord, neutraliseFormula } from "./csv.ts";

describe("neutraliseFormula", () => {
  const cases: [string, string][] = [
    ["=1+2", "'=1+2"],
    ["+32 2 555 00 00", "'+32 2 555 00 00"],
    ["- bullet", "'- bullet"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tindented", "'\tindented"],
    ["\rreturn", "'\rreturn"],
    ["plain text", "plain text"],
    ["a=b", "a=b"],
    ["", ""],
  ];
  it.each(cases)("maps %j to %j", (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });
});

describe("csvField", () => {
  it("quotes commas, quotes and line breaks", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("one\r\ntwo")).toBe('"one\r\ntwo"');
    expect(csvField("plain")).toBe("plain");
  });
});

describe("csvRecord", () => {
  it("round-trips through csv-parse", () => {
    const cells = ["x,y", 'q"q', "line\nbreak", "", "=cmd", "Kruševac"];
    const record = csvRecord(cells);
    expect(record.endsWith("\r\n")).toBe(true);
    expect(parse(record)).toEqual([cells]);
  });
});
