/**
 * Import throughput: writes an N-row sample Erasmus+ 2014-2020 export with `writeSampleExport`,
 * imports it into an empty content folder with `importFiles`, then imports it again over the
 * cards just written, which changes no file. The reference reads and maps the same rows without
 * writing anything, the floor of any import with this reader and mapping.
 */
import { access } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { writeSampleExport } from "../../pipeline/sample/sample-export.ts";
import { perSecond, timed } from "../measure.ts";
import type { BenchCase, BenchRow } from "../types.ts";

type Totals = { rowsRead: number; rejected: number; unchanged: number };

/** The parts of `pipeline/import/index.ts` that the case uses. */
type Importer = {
  importFiles(files: string[], options: { contentDir: string }): Promise<{ totals: Totals }>;
  openExport(path: string): Promise<{ headers: string[]; rows: AsyncIterable<unknown> }>;
  detectLayout(headers: string[]): unknown;
  isLayoutError(layout: unknown): boolean;
  rowToCard(row: unknown, layout: unknown): { ok: boolean };
};

const importerPath = (repoRoot: string) => join(repoRoot, "pipeline", "import", "index.ts");

/** Reads and maps every row of `file`, writing nothing; returns the number of rows. */
async function readAndMap(importer: Importer, file: string): Promise<number> {
  const exportFile = await importer.openExport(file);
  const layout = importer.detectLayout(exportFile.headers);
  if (importer.isLayoutError(layout))
    throw new Error(`${file} is not an export the importer reads`);
  let rows = 0;
  for await (const row of exportFile.rows) {
    importer.rowToCard(row, layout);
    rows++;
  }
  return rows;
}

const importCase: BenchCase = {
  name: "import",
  description: "import an N-row Erasmus+ 2014-2020 export CSV into empty content, then again",
  async skipReason({ repoRoot }) {
    try {
      await access(importerPath(repoRoot));
      return undefined;
    } catch {
      return "pipeline/import/index.ts is missing, so there is no importer to measure yet";
    }
  },
  async run({ size, workDir, repoRoot, log }) {
    const importer = (await import(pathToFileURL(importerPath(repoRoot)).href)) as Importer;
    if (typeof importer.importFiles !== "function" || typeof importer.rowToCard !== "function") {
      throw new Error("pipeline/import/index.ts does not export importFiles and rowToCard");
    }

    const file = join(workDir, "ErasmusPlus_KA2_sample.csv");
    const written = await timed(() => writeSampleExport(file, size, "bench"));
    log(`wrote ${size} rows (${written.result.bytes} bytes) in ${written.seconds.toFixed(1)} s`);

    const mapped = await timed(() => readAndMap(importer, file));
    const reference = perSecond(mapped.result, mapped.seconds);
    const referenceLabel = "read and map only";
    const contentDir = join(workDir, "content");
    const rows: BenchRow[] = [];
    for (const pass of ["fresh import", "re-import"]) {
      const imported = await timed(() => importer.importFiles([file], { contentDir }));
      const { rowsRead, rejected, unchanged } = imported.result.totals;
      log(
        `${pass}: ${rowsRead} rows (${rejected} rejected, ${unchanged} unchanged) in ${imported.seconds.toFixed(1)} s`,
      );
      if (rowsRead !== size) {
        throw new Error(
          `the importer read ${rowsRead} rows of ${size}; the figures would be wrong`,
        );
      }
      if (pass === "re-import" && unchanged + rejected !== size) {
        throw new Error(
          `the re-import changed ${size - unchanged - rejected} cards; expected none`,
        );
      }
      rows.push({
        name: `import: ${pass} rows`,
        size,
        value: perSecond(rowsRead, imported.seconds),
        unit: "rows/s",
        reference,
        referenceLabel,
      });
      if (pass === "fresh import") {
        rows.push({ name: "import: rows rejected", size, value: rejected, unit: "rows" });
      }
    }
    rows.push({
      name: "import: sample export written",
      size,
      value: perSecond(size, written.seconds),
      unit: "rows/s",
    });
    return rows;
  },
};

export default importCase;
