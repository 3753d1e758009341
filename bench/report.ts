/**
 * Output of a benchmark run: a plain-text table for the terminal and a Markdown section for
 * `BENCHMARKS.md`. The file keeps one section per distinct command, so a run replaces the
 * section of an earlier run of the same command and leaves the others.
 */
import type { Machine } from "./machine.ts";
import type { BenchRow } from "./types.ts";

export type RunRecord = {
  command: string;
  date: Date;
  machine: Machine;
  rows: BenchRow[];
  /** Cases that did not run, with the reason. */
  skipped: { name: string; size: number; reason: string }[];
};

const HEADER = `# Benchmarks

Figures from \`npm run bench\`. Each section is one run of the command in its title; running the
same command again replaces that section. Every figure that has a reference was measured beside
it in the same run and process, and the ratio is figure / reference. Ratios carry over between
machines better than the raw figures do. Peak RSS is the \`maxRSS\` of the child process that ran
the case, and its reference is a child process that loads nothing.
`;

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString("en-GB");
  return value.toLocaleString("en-GB", { maximumFractionDigits: 2 });
}

function formatRatio(row: BenchRow): string {
  return row.ratio === undefined ? "" : row.ratio.toFixed(row.ratio < 0.1 ? 3 : 2);
}

function cells(row: BenchRow): string[] {
  return [
    row.name,
    formatNumber(row.size),
    `${formatNumber(row.value)} ${row.unit}`,
    row.reference === undefined
      ? ""
      : `${formatNumber(row.reference)} ${row.unit} (${row.referenceLabel ?? "reference"})`,
    formatRatio(row),
  ];
}

const COLUMNS = ["figure", "size", "value", "reference", "ratio"];

/** Formats the rows as an aligned plain-text table. */
export function formatTable(rows: readonly BenchRow[]): string {
  const table = [COLUMNS, ...rows.map(cells)];
  const widths = COLUMNS.map((_, column) =>
    Math.max(...table.map((line) => line[column]?.length ?? 0)),
  );
  return table
    .map((line) =>
      line
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function sectionMarker(command: string): string {
  return `<!-- bench-run: ${command} -->`;
}

const SECTION_END = "<!-- /bench-run -->";

/** Formats one run as a Markdown section, between markers that name its command. */
export function formatSection(record: RunRecord): string {
  const { machine } = record;
  const lines = [
    sectionMarker(record.command),
    `## \`${record.command}\``,
    "",
    `- Date: ${record.date.toISOString().slice(0, 16).replace("T", " ")} UTC`,
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB memory, ${machine.os}`,
    `- Node.js: ${machine.node}`,
    `- Load average (1 min) at start: ${machine.loadAverage}`,
    "",
    `| ${COLUMNS.join(" | ")} |`,
    `| ${COLUMNS.map((_, index) => (index === 0 ? "---" : "---:")).join(" | ")} |`,
    ...record.rows.map((row) => `| ${cells(row).join(" | ")} |`),
  ];
  if (record.skipped.length > 0) {
    lines.push("", "Skipped:");
    for (const skip of record.skipped) lines.push(`- ${skip.name} at ${skip.size}: ${skip.reason}`);
  }
  lines.push(SECTION_END);
  return lines.join("\n");
}

/** Returns `existing` (the text of BENCHMARKS.md, or empty) with the run's section set. */
export function mergeSection(existing: string, record: RunRecord): string {
  const section = formatSection(record);
  const marker = sectionMarker(record.command);
  const start = existing.indexOf(marker);
  if (start >= 0) {
    const end = existing.indexOf(SECTION_END, start);
    if (end >= 0) {
      return existing.slice(0, start) + section + existing.slice(end + SECTION_END.length);
    }
  }
  const base = existing.trim() === "" ? HEADER : existing.trimEnd();
  return `${base}\n\n${section}\n`;
}
