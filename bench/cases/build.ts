/**
 * Site build: writes N sample cards (not timed), then runs the build CLI
 * (`pipeline/build/cli.ts --plain`) as a child process, as `npm run build` does. The build runs
 * Astro and the Pagefind binary in further processes, so the memory figures come from sampling
 * the whole process tree every 250 ms (`../process-tree.ts`): a peak shorter than that can be
 * missed. The Astro and Pagefind times are the step timings of the build report.
 *
 * The reference is a build of N/10 sample cards in the same run, so the ratio of the cards/s
 * figures shows how the throughput holds up as the catalogue grows tenfold.
 */
import { execFile, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { BuildReport } from "../../pipeline/build/report.ts";
import { perSecond } from "../measure.ts";
import { sampleProcessTree, type TreePeak } from "../process-tree.ts";
import type { BenchCase } from "../types.ts";

const SAMPLE_INTERVAL_MS = 250;

/** Writes `count` sample cards into `contentDir` in a child process, as `npm run sample` does. */
export async function writeSample(repoRoot: string, contentDir: string, count: number) {
  const sampleCli = join(repoRoot, "pipeline", "sample", "cli.ts");
  const args = [sampleCli, "--count", String(count), "--content", contentDir, "--seed", "bench"];
  await promisify(execFile)(process.execPath, args, { maxBuffer: 64 * 1024 ** 2 });
}

export type CliBuild = { seconds: number; report: BuildReport; peak: TreePeak };

/**
 * Runs the build CLI on `contentDir` into `outDir` and returns its wall-clock time, its report
 * and the memory peaks of its process tree. Raises an error with the CLI's output on failure.
 */
export async function runBuildCli(
  repoRoot: string,
  contentDir: string,
  outDir: string,
  reportFile: string,
): Promise<CliBuild> {
  const cli = join(repoRoot, "pipeline", "build", "cli.ts");
  const args = [cli, "--content", contentDir, "--out", outDir, "--plain", "--report", reportFile];
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const sampler = sampleProcessTree(child.pid as number, SAMPLE_INTERVAL_MS);
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  const seconds = (performance.now() - started) / 1000;
  const peak = await sampler.stop();
  if (code !== 0) {
    throw new Error(`the build CLI exited with code ${code} on ${contentDir}:\n${output}`);
  }
  const report = JSON.parse(await readFile(reportFile, "utf8")) as BuildReport;
  return { seconds, report, peak };
}

/** Seconds of one step of the build report, with one decimal, or 0 when the step is missing. */
function stepSeconds(report: BuildReport, step: string): number {
  const timing = report.steps.find((entry) => entry.step === step);
  return Math.round((timing?.milliseconds ?? 0) / 100) / 10;
}

function mebibytes(kibibytes: number): number {
  return Math.round(kibibytes / 1024);
}

const build: BenchCase = {
  name: "build",
  description: "build the site for N sample cards with the build CLI (Astro and Pagefind)",
  async run({ size, workDir, repoRoot, log }) {
    const smallSize = Math.max(1, Math.round(size / 10));
    const smallContent = join(workDir, "content-small");
    const contentDir = join(workDir, "content");
    await writeSample(repoRoot, smallContent, smallSize);
    await writeSample(repoRoot, contentDir, size);
    log(`wrote ${smallSize} and ${size} sample cards`);

    const small = await runBuildCli(
      repoRoot,
      smallContent,
      join(workDir, "dist-small"),
      join(workDir, "report-small.json"),
    );
    log(`reference build of ${small.report.cards} cards in ${small.seconds.toFixed(1)} s`);
    const full = await runBuildCli(
      repoRoot,
      contentDir,
      join(workDir, "dist"),
      join(workDir, "report.json"),
    );
    const { report, peak } = full;
    log(
      `built ${report.cards} cards, ${report.pages} pages in ${full.seconds.toFixed(1)} s, ` +
        `${peak.samples} memory samples, largest process ${peak.singleCommand}`,
    );
    if (report.cards !== size) {
      throw new Error(`the build read ${report.cards} cards of the ${size} written`);
    }

    return [
      { name: "build: total time", size, value: Math.round(full.seconds * 10) / 10, unit: "s" },
      {
        name: "build: cards built",
        size,
        value: perSecond(report.cards, full.seconds),
        unit: "cards/s",
        reference: perSecond(small.report.cards, small.seconds),
        referenceLabel: `build of ${smallSize} cards`,
      },
      {
        name: "build: pages built",
        size,
        value: perSecond(report.pages, full.seconds),
        unit: "pages/s",
      },
      { name: "build: Astro step", size, value: stepSeconds(report, "astro"), unit: "s" },
      { name: "build: Pagefind step", size, value: stepSeconds(report, "pagefind"), unit: "s" },
      {
        name: "build: peak RSS of all build processes",
        size,
        value: mebibytes(peak.totalKiB),
        unit: "MiB",
      },
      {
        name: "build: peak RSS of one build process",
        size,
        value: mebibytes(peak.singleKiB),
        unit: "MiB",
      },
    ];
  },
};

export default build;
