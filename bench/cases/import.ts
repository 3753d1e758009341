/**
 * Import throughput: writes an N-row sample Erasmus+ 2014-2020 export with `writeSampleExport`,
 * then imports it into an empty content folder with `importFiles`. The reference parses the same
 * file with csv-parse alone, the floor of any CSV import.
 */
import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "csv-parse";
import { writeSampleExport } from "../../pipeline/sample/sample-export.ts";
import { perSecond, timed } from "../measure.ts";
import type { BenchCase } from "../types.ts";

/** The importer's expected entry point: `importFiles(files, { contentDir })`. */
type ImportFiles = (
  files: string[],
  options: { contentDir: string },
) => Promise<{ totals: { rowsRead: number; rejected: number } }>;

const importerPath = (repoRoot: string) => join(repoRoot, "pipeline", "import", "index.ts");

async function parseOnly(file: string): Promise<number> {
  let rows = 0;
  const parser = createReadStream(file).pipe(parse({ bom: true, columns: true }));
  for await (const _ of parser) rows++;
  return rows;
}

const importCase: BenchCase = {
  name: "import",
  description: "import an N-row Erasmus+ 2014-2020 export CSV into empty content",
  async skipReason({ repoRoot }) {
    try {
      await access(importerPath(repoRoot));
      return undefined;
    } catch {
      return "pipeline/import/index.ts is missing, so there is no importer to measure yet";
    }
  },
  async run({ size, workDir, repoRoot, log }) {
    const module = await import(pathToFileURL(importerPath(repoRoot)).href);
    const importFiles = module.importFiles as ImportFiles | undefined;
    if (typeof importFiles !== "function") {
      throw new Error(
        "pipeline/import/index.ts does not export importFiles(files, { contentDir })",
      );
    }

    const file = join(workDir, "ErasmusPlus_KA2_sample.csv");
    const written = await timed(() => writeSampleExport(file, size, "bench"));
    log(`wrote ${size} rows (${written.result.bytes} bytes) in ${written.seconds.toFixed(1)} s`);

    const parsed = await timed(() => parseOnly(file));
    const imported = await timed(() =>
      importFiles([file], { contentDir: join(workDir, "content") }),
    );
    const { rowsRead, rejected } = imported.result.totals;
    log(`imported ${rowsRead} rows (${rejected} rejected) in ${imported.seconds.toFixed(1)} s`);
    if (rowsRead !== size) {
      throw new Error(`the importer read ${rowsRead} rows of ${size}; the figures would be wrong`);
    }
    return [
      {
        name: "import: rows imported",
        size,
        value: perSecond(rowsRead, imported.seconds),
        unit: "rows/s",
        reference: perSecond(parsed.result, parsed.seconds),
        referenceLabel: "csv-parse only",
      },
      {
        name: "import: rows rejected",
        size,
        value: rejected,
        unit: "rows",
      },
      {
        name: "import: sample export written",
        size,
        value: perSecond(size, written.seconds),
        unit: "rows/s",
      },
    ];
  },
};

export default importCase;
