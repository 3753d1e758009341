/**
 * `npm run build [-- --content DIR --out DIR --media DIR --report FILE --plain]`: builds the
 * static site.
 *
 * Defaults: content from CONTENT_DIR or `content/`, output `dist/`, logos from MEDIA_DIR or
 * `var/media/`, report `reports/build-report.json`. On a terminal each step shows its progress;
 * otherwise only the summary is printed. Exit code 1 when a step failed (the previous site is
 * kept), 0 otherwise, even when single cards had issues.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { BuildFailedError, type BuildProgress, buildSite, REPOSITORY_ROOT } from "./build.ts";
import { closePagefind } from "./pagefind.ts";
import type { BuildReport } from "./report.ts";

const { values } = parseArgs({
  options: {
    content: { type: "string" },
    out: { type: "string" },
    media: { type: "string" },
    report: { type: "string" },
    plain: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  process.stdout.write(
    [
      "Usage: npm run build -- [--content DIR] [--out DIR] [--media DIR] [--report FILE] [--plain]",
      "  --content  folder of project cards (default: CONTENT_DIR or content/)",
      "  --out      folder the site is written to (default: dist/)",
      "  --media    folder of uploaded logos by SHA-256 (default: MEDIA_DIR or var/media/)",
      "  --report   where the JSON build report goes (default: reports/build-report.json)",
      "  --plain    write --out as a plain folder (missing for a moment during the swap) instead of",
      "             a link to .build/<name>-builds/<id> that is replaced atomically; copy a linked",
      "             site with cp -rL",
      "Environment: SEARCH_SHARD_PAGES sets the card pages per search index bundle (default 50000)",
      "",
    ].join("\n"),
  );
  process.exit(0);
}

const contentDir = resolve(values.content ?? process.env.CONTENT_DIR ?? "content");
const outDir = resolve(values.out ?? "dist");
const mediaDir = resolve(values.media ?? process.env.MEDIA_DIR ?? join("var", "media"));
const reportFile = resolve(values.report ?? join(REPOSITORY_ROOT, "reports", "build-report.json"));
const interactive = process.stdout.isTTY === true;

/** What each step counts in its progress line. */
const PROGRESS_UNITS: Record<string, string> = {
  content: "card files read",
  images: "logos",
  astro: "pages rendered",
  pagefind: "search bundles written",
};
/** Shortest time between two progress lines of the same step, in milliseconds. */
const PROGRESS_INTERVAL_MS = 200;

let lastStep = "";
let lastWrite = 0;
function showProgress(progress: BuildProgress): void {
  if (!interactive) return;
  const now = performance.now();
  if (progress.step === lastStep && now - lastWrite < PROGRESS_INTERVAL_MS) return;
  lastStep = progress.step;
  lastWrite = now;
  const total = progress.total !== undefined ? ` of ${progress.total}` : "";
  const unit = PROGRESS_UNITS[progress.step] ?? "";
  process.stdout.write(`\r\x1b[2K${progress.step}: ${progress.done}${total} ${unit}`);
}

function summary(report: BuildReport): string {
  const lines = [
    `cards: ${report.cards} of ${report.cardFiles} files, pages: ${report.pages}, indexed: ${report.indexedPages}, logos: ${report.logos}`,
    `steps: ${report.steps.map((step) => `${step.step} ${(step.milliseconds / 1000).toFixed(1)} s`).join(", ")}`,
  ];
  for (const issue of report.issues) {
    lines.push(`${issue.code}${issue.cardId ? ` [${issue.cardId}]` : ""}: ${issue.message}`);
  }
  return `${lines.join("\n")}\n`;
}

async function saveReport(report: BuildReport): Promise<void> {
  await mkdir(dirname(reportFile), { recursive: true });
  await writeFile(reportFile, `${JSON.stringify(report, null, 2)}\n`);
}

try {
  const report = await buildSite({
    contentDir,
    outDir,
    mediaDir,
    plainFolder: values.plain === true,
    onProgress: showProgress,
  });
  if (interactive) process.stdout.write("\r\x1b[2K");
  await saveReport(report);
  process.stdout.write(`Built ${outDir}\n${summary(report)}Report: ${reportFile}\n`);
} catch (error) {
  if (interactive) process.stdout.write("\n");
  if (error instanceof BuildFailedError) {
    await saveReport(error.report);
    process.stderr.write(`${error.message}\n${summary(error.report)}Report: ${reportFile}\n`);
  } else {
    process.stderr.write(`site build failed: ${(error as Error).stack ?? error}\n`);
  }
  process.exitCode = 1;
} finally {
  await closePagefind();
}
