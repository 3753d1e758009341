import { describe, expect, it } from "vitest";
import { MAX_FILE_NAME_LENGTH, sanitizeFileName } from "./filename.ts";

describe("sanitizeFileName", () => {
  const cases: [string, string, string][] = [
    ["plain name", "Final report.pdf", "Final report.pdf"],
    ["POSIX path", "/home/anna/report.pdf", "report.pdf"],
    ["Windows path", "C:\\Users\\anna\\report.pdf", "report.pdf"],
    ["traversal", "../../etc/passwd", "passwd"],
    ["control characters", "re\u0000po\u0007rt\n.pdf", "report.pdf"],
    ["bidi override", "invoice\u202efdp.exe", "invoicefdp.exe"],
    ["isolates", "a\u2066b\u2069.txt", "ab.txt"],
    ["leading dots", "...hidden.txt", "hidden.txt"],
    ["white space", "  a   b \t.txt ", "a b .txt"],
    ["empty", "", "file"],
    ["only a path", "folder/", "file"],
  ];
  it.each(cases)("%s", (_label, input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it("shortens long names keeping the extension", () => {
    const name = sanitizeFileName(`${"é".repeat(400)}.docx`);
    expect([...name]).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(name.endsWith(".docx")).toBe(true);
  });

  it("never splits a surrogate pair", () => {
    const name = sanitizeFileName("😀".repeat(400));
    expect([...name]).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(name.isWellFormed()).toBe(true);
  });
});
