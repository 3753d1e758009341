import { describe, expect, it } from "vitest";
import { countryName, excerpt, formatEuro, formatSize, summaryBlocks } from "./format.ts";
import { scriptSafeJson } from "./json-ld.ts";

describe("summaryBlocks", () => {
  it("splits paragraphs on blank lines", () => {
    expect(summaryBlocks("One\ntwo\n\n  \nThree")).toEqual([
      { kind: "paragraph", lines: ["One", "two"] },
      { kind: "paragraph", lines: ["Three"] },
    ]);
  });

  it("turns bullet lines into list items", () => {
    expect(summaryBlocks("Aims:\n• first\n- second\n* third\nAfter")).toEqual([
      { kind: "paragraph", lines: ["Aims:"] },
      { kind: "list", items: ["first", "second", "third"] },
      { kind: "paragraph", lines: ["After"] },
    ]);
  });

  it("keeps a hyphen without a space as text", () => {
    expect(summaryBlocks("-5 degrees")).toEqual([{ kind: "paragraph", lines: ["-5 degrees"] }]);
  });

  it("accepts Windows line endings", () => {
    expect(summaryBlocks("a\r\n\r\nb")).toHaveLength(2);
  });

  it("returns nothing for an empty summary", () => {
    expect(summaryBlocks("  \n ")).toEqual([]);
  });
});

describe("formatEuro", () => {
  it.each([
    [250000, "€250,000"],
    [1234.5, "€1,234.50"],
    [0, "€0"],
  ])("formats %s as %s", (amount, expected) => {
    expect(formatEuro(amount)).toBe(expected);
  });
});

describe("countryName", () => {
  it.each([
    ["DE", "Germany"],
    ["EL", "Greece"],
    ["UK", "United Kingdom"],
    ["XK", "Kosovo"],
  ])("names %s as %s", (code, name) => {
    expect(countryName(code)).toBe(name);
  });
});

describe("formatSize", () => {
  it.each([
    [512, "512 bytes"],
    [2_400_000, "2.4 MB"],
    [100_000_000, "100 MB"],
  ])("formats %s bytes as %s", (bytes, expected) => {
    expect(formatSize(bytes)).toBe(expected);
  });
});

describe("excerpt", () => {
  it("cuts at a word boundary", () => {
    expect(excerpt("alpha beta gamma delta", 12)).toBe("alpha beta…");
  });

  it("keeps short text whole", () => {
    expect(excerpt("short  text", 50)).toBe("short text");
  });
});

describe("scriptSafeJson", () => {
  it("escapes characters that could end a script element", () => {
    const json = scriptSafeJson({ name: "</script><!-- & \u2028" });
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual({ name: "</script><!-- & \u2028" });
  });
});
