import { describe, expect, it } from "vitest";
import type { Machine } from "./machine.ts";
import { formatTable, mergeSection, type RunRecord } from "./report.ts";

const machine: Machine = {
  cpu: "Test CPU",
  cores: 2,
  memoryGiB: 4,
  os: "Linux test",
  node: "v24.0.0",
  loadAverage: 0.5,
};

function record(command: string, value: number): RunRecord {
  return {
    command,
    date: new Date("2026-12-04T10:00:00.000Z"),
    machine,
    rows: [
      {
        name: "sample: cards written",
        size: 1000,
        value,
        unit: "cards/s",
        reference: 2000,
        referenceLabel: "serialise only",
        ratio: value / 2000,
      },
    ],
    skipped: [{ name: "import", size: 1000, reason: "no importer" }],
  };
}

describe("mergeSection", () => {
  it("starts a new file with the header", () => {
    const text = mergeSection("", record("npm run bench", 1000));
    expect(text.startsWith("# Benchmarks\n")).toBe(true);
    expect(text).toContain("## `npm run bench`");
    expect(text).toContain("| sample: cards written | 1,000 | 1,000 cards/s |");
    expect(text).toContain("2,000 cards/s (serialise only) | 0.50 |");
    expect(text).toContain("- import at 1000: no importer");
    expect(text).toContain("Test CPU, 2 cores, 4 GiB memory, Linux test");
  });

  it("replaces the section of the same command", () => {
    const first = mergeSection("", record("npm run bench", 1000));
    const both = mergeSection(first, record("npm run bench -- --sizes 5", 10));
    const replaced = mergeSection(both, record("npm run bench", 1500));
    expect(replaced).toContain("1,500 cards/s");
    expect(replaced).not.toContain("| 1,000 cards/s");
    expect(replaced).toContain("| 10 cards/s");
    expect(replaced.match(/## `npm run bench`\n/g)).toHaveLength(1);
  });

  it("keeps text outside the sections", () => {
    const first = mergeSection("", record("npm run bench", 1000));
    const edited = first.replace("# Benchmarks\n", "# Benchmarks\n\nA note by hand.\n");
    expect(mergeSection(edited, record("npm run bench", 1200))).toContain("A note by hand.");
  });
});

describe("formatTable", () => {
  it("aligns columns", () => {
    const lines = formatTable(record("x", 1000).rows).split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]?.indexOf("size")).toBe(lines[1]?.indexOf("1,000"));
  });
});
