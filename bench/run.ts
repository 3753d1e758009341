/**
 * `npm run bench -- [--sizes 1000,10000] [--only import,export] [--out BENCHMARKS.md]`: runs
 * each benchmark case at each size in a child process, prints a table and records the run in
 * `BENCHMARKS.md`.
 */
import { fork } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { describeMachine } from "./machine.ts";
import { listCases } from "./registry.ts";
import { formatTable, mergeSection, type RunRecord } from "./report.ts";
import type { BenchRow, ChildReport } from "./types.ts";

const benchDir = import.meta.dirname;
const repoRoot = resolve(benchDir, "..");
const DEFAULT_SIZES = "1000,10000";

const usage = `usage: npm run bench -- [options]
  --sizes LIST   comma-separated input sizes, in cards or rows (default: ${DEFAULT_SIZES})
  --only LIST    comma-separated case names to run (default: all cases in bench/cases)
  --out FILE     Markdown file to record the run in (default: BENCHMARKS.md)
  --no-record    print the table without writing the Markdown file`;

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

let values: { sizes?: string; only?: string; out?: string; "no-record"?: boolean; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      sizes: { type: "string" },
      only: { type: "string" },
      out: { type: "string" },
      "no-record": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const sizes = (values.sizes ?? DEFAULT_SIZES).split(",").map((text) => {
  const size = Number(text.trim());
  if (!Number.isSafeInteger(size) || size <= 0) {
    fail(`invalid size "${text}" in --sizes: expected positive whole numbers such as 1000,10000`);
  }
  return size;
});

const available = await listCases(join(benchDir, "cases"));
const only = values.only?.split(",").map((name) => name.trim());
for (const name of only ?? []) {
  if (!available.some((entry) => entry.name === name)) {
    fail(
      `unknown case "${name}" in --only: cases are ${available.map((entry) => entry.name).join(", ")}`,
    );
  }
}
const selected = only ? available.filter((entry) => only.includes(entry.name)) : available;

/** Runs one case (or the baseline) at one size in a fresh child process. */
function runChild(caseFile: string, size: number, workDir: string): Promise<ChildReport> {
  return new Promise((resolveReport, reject) => {
    const child = fork(join(benchDir, "child.ts"), [caseFile, String(size), workDir, repoRoot], {
      execArgv: ["--expose-gc"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let report: ChildReport | undefined;
    child.on("message", (message) => {
      report = message as ChildReport;
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (report) resolveReport(report);
      else {
        const cause = signal ? `signal ${signal}` : `exit code ${code}`;
        resolveReport({ kind: "failed", message: `the case process stopped with ${cause}` });
      }
    });
  });
}

const machine = describeMachine();
const date = new Date();
const argv = process.argv.slice(2);
const command = argv.length === 0 ? "npm run bench" : `npm run bench -- ${argv.join(" ")}`;
console.error(`${command}\n${machine.cpu}, ${machine.cores} cores, Node.js ${machine.node}`);

const scratch = await mkdtemp(join(tmpdir(), "bench-"));
const baseline = await runChild("--baseline", 0, scratch);
const baselineRssMiB = baseline.kind === "rows" ? Math.round(baseline.maxRssKiB / 1024) : undefined;

const rows: BenchRow[] = [];
const skipped: RunRecord["skipped"] = [];
let failures = 0;
try {
  for (const entry of selected) {
    for (const size of sizes) {
      const workDir = await mkdtemp(join(scratch, `${entry.name}-${size}-`));
      console.error(`${entry.name} at ${size}: ${entry.description}`);
      const report = await runChild(entry.file, size, workDir);
      await rm(workDir, { recursive: true, force: true });

      if (report.kind === "skipped") {
        console.error(`  skipped: ${report.reason}`);
        skipped.push({ name: entry.name, size, reason: report.reason });
        continue;
      }
      if (report.kind === "failed") {
        console.error(`  failed: ${report.message}`);
        failures++;
        continue;
      }
      for (const row of report.rows) {
        const ratio =
          row.ratio ??
          (row.reference ? Math.round((row.value / row.reference) * 1000) / 1000 : undefined);
        rows.push({ ...row, ratio });
      }
      const peakMiB = Math.round(report.maxRssKiB / 1024);
      rows.push({
        name: `${entry.name}: peak RSS`,
        size,
        value: peakMiB,
        unit: "MiB",
        reference: baselineRssMiB,
        referenceLabel: "idle child process",
        ratio: baselineRssMiB ? Math.round((peakMiB / baselineRssMiB) * 100) / 100 : undefined,
      });
    }
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

console.log(formatTable(rows));
for (const skip of skipped) console.log(`skipped ${skip.name} at ${skip.size}: ${skip.reason}`);

if (!values["no-record"]) {
  const out = resolve(values.out ?? join(repoRoot, "BENCHMARKS.md"));
  const existing = await readFile(out, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  await writeFile(out, mergeSection(existing, { command, date, machine, rows, skipped }));
  console.error(`recorded in ${out}`);
}
if (failures > 0) {
  console.error(`${failures} case runs failed`);
  process.exitCode = 1;
}
