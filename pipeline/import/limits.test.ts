import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectLayout, isLayoutError } from "./layout.ts";
import { cutAtWordBoundary, escapeControlCharacters, identifierProblem } from "./limits.ts";
import { openExport } from "./reader.ts";
import { realDataDir } from "./test-data.ts";

function exportFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return exportFiles(path);
    return /\.(csv|xlsx)$/i.test(name) ? [path] : [];
  });
}

describe("identifierProblem", () => {
  it.each([
    ["2014-1-DE03-KA101-000001"],
    ["EACEA-COMP-TEM-144522"],
    ["168191-EM-1-2009-1-PL-ERA MUNDUS-ICI"],
    ["552237-CREA-1-2014-1-NL-CULT-COOP1"],
    ["101086435"],
    ["a..b"],
    ["x".repeat(200)],
  ])("accepts %s", (id) => {
    expect(identifierProblem(id)).toBeUndefined();
  });

  it.each([
    ["2014-1\u0000-DE03", "the identifier contains control characters"],
    ["2014-1-DE03\nKA101", "the identifier contains control characters"],
    ["bell\u0007", "the identifier contains control characters"],
    ["c1\u0085", "the identifier contains control characters"],
    ["..", "the identifier is a relative path segment (. or ..)"],
    [".", "the identifier is a relative path segment (. or ..)"],
    ["../../../tmp/pwned", "the identifier contains a path separator (/ or \\)"],
    ["2014/1", "the identifier contains a path separator (/ or \\)"],
    ["..\\windows", "the identifier contains a path separator (/ or \\)"],
    ["x".repeat(201), "the identifier has 201 characters, more than the maximum of 200"],
  ])("rejects %j", (id, reason) => {
    expect(identifierProblem(id)).toBe(reason);
  });
});

describe("identifierProblem on the real exports", () => {
  it("accepts every identifier", async () => {
    const rejected: string[] = [];
    let count = 0;
    for (const path of exportFiles(realDataDir)) {
      const file = await openExport(path);
      const layout = detectLayout(file.headers);
      const header = isLayoutError(layout) ? undefined : layout.columns.identifier?.header;
      if (header === undefined) {
        await file.rows.return(undefined);
        continue;
      }
      for await (const row of file.rows) {
        const id = row.values[header]?.trim();
        if (id === undefined || id === "") continue;
        count += 1;
        if (identifierProblem(id) !== undefined) rejected.push(id);
      }
    }
    expect(rejected).toEqual([]);
    expect(count).toBeGreaterThan(700);
  });
});

describe("escapeControlCharacters", () => {
  it("escapes line ends, tabs and other controls", () => {
    expect(escapeControlCharacters("a\nb\r\tc\u0000d\u007f")).toBe("a\\nb\\r\\tc\\u0000d\\u007f");
  });

  it("keeps printable text", () => {
    expect(escapeControlCharacters("Café ERA MUNDUS")).toBe("Café ERA MUNDUS");
  });
});

describe("cutAtWordBoundary", () => {
  it("keeps a value at the limit", () => {
    expect(cutAtWordBoundary("one two", 7)).toBe("one two");
  });

  it("cuts at the last space within a tenth of the limit", () => {
    expect(cutAtWordBoundary(`${"a".repeat(95)} bcdefghij`, 100)).toBe("a".repeat(95));
  });

  it("cuts at the limit when the value has no nearby space", () => {
    expect(cutAtWordBoundary(`a ${"b".repeat(50)}`, 20)).toBe(`a ${"b".repeat(18)}`);
  });

  it("does not split a surrogate pair", () => {
    expect(cutAtWordBoundary("😀😀😀", 3)).toBe("😀");
  });
});
