/**
 * Runs one benchmark case at one size in its own process, so that the peak resident set size
 * (`process.resourceUsage().maxRSS`) belongs to that case alone. Started by `run.ts` with an IPC
 * channel: `node --expose-gc bench/child.ts <case file|--baseline> <size> <work dir> <repo root>`.
 */
import { pathToFileURL } from "node:url";
import type { BenchCase, BenchContext, ChildReport } from "./types.ts";

const [caseFile, sizeText, workDir, repoRoot] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];

function send(report: ChildReport): Promise<void> {
  return new Promise((resolve) => process.send?.(report, () => resolve()));
}

async function main(): Promise<ChildReport> {
  // The baseline measures the memory of a process that loads nothing but this file.
  if (caseFile === "--baseline") {
    return { kind: "rows", rows: [], maxRssKiB: process.resourceUsage().maxRSS };
  }
  const benchCase = (await import(pathToFileURL(caseFile).href)).default as BenchCase;
  const context: BenchContext = {
    size: Number(sizeText),
    workDir,
    repoRoot,
    log: (message) => process.stderr.write(`  [${benchCase.name} ${sizeText}] ${message}\n`),
  };
  const reason = await benchCase.skipReason?.(context);
  if (reason !== undefined) return { kind: "skipped", reason };
  const rows = await benchCase.run(context);
  return { kind: "rows", rows, maxRssKiB: process.resourceUsage().maxRSS };
}

try {
  await send(await main());
} catch (error) {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  await send({ kind: "failed", message });
  process.exitCode = 1;
}
