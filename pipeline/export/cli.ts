/**
 * `npm run export -- [--content DIR] [--out DIR]`: writes the open-data files for all cards.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { exportOpenData } from "./open-data.ts";

const usage =
  "usage: npm run export -- [--content DIR (default content)] [--out DIR (default dist/open-data)]";

let values: { content?: string; out?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      content: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const contentDir = resolve(values.content ?? "content");
const outDir = resolve(values.out ?? "dist/open-data");
const started = performance.now();
const summary = await exportOpenData(contentDir, outDir);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`exported ${summary.cards} cards from ${contentDir} to ${outDir} in ${seconds} s`);
for (const file of Object.values(summary.files)) {
  console.log(`  ${file.path} (${file.bytes} bytes)`);
}
for (const skipped of summary.skipped) {
  console.error(`  skipped ${skipped.file}: ${skipped.reason}`);
}
if (summary.truncatedPartnerLists > 0) {
  console.log(
    `  ${summary.truncatedPartnerLists} cards have more than 100 partners: projects.csv lists the first 100, projects.json all`,
  );
}
