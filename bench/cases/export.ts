/**
 * Open-data export: writes N sample cards (not timed), then times `exportOpenData` over them.
 * The reference reads and validates the same card files without writing anything, the floor
 * of any export that streams over the cards.
 *
 * The sample cards are written by a separate process (`npm run sample`), because its worker
 * threads would otherwise set this process's peak RSS instead of the export.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { listCardFiles, readCardFile } from "../../pipeline/card/index.ts";
import { exportOpenData } from "../../pipeline/export/open-data.ts";
import { perSecond, timed } from "../measure.ts";
import type { BenchCase } from "../types.ts";

const exportCase: BenchCase = {
  name: "export",
  description: "export N cards as open data (CSV, JSON, datapackage.json)",
  async run({ size, workDir, repoRoot, log }) {
    const contentDir = join(workDir, "content");
    const sampleCli = join(repoRoot, "pipeline", "sample", "cli.ts");
    const args = [sampleCli, "--count", String(size), "--content", contentDir, "--seed", "bench"];
    await promisify(execFile)(process.execPath, args);
    log(`wrote ${size} sample cards`);

    const reading = await timed(async () => {
      let count = 0;
      for await (const path of listCardFiles(contentDir)) {
        await readCardFile(path);
        count++;
      }
      return count;
    });
    const exported = await timed(() => exportOpenData(contentDir, join(workDir, "open-data")));
    log(`exported ${exported.result.cards} cards in ${exported.seconds.toFixed(1)} s`);
    const { csv, json } = exported.result.files;
    return [
      {
        name: "export: cards exported",
        size,
        value: perSecond(exported.result.cards, exported.seconds),
        unit: "cards/s",
        reference: perSecond(reading.result, reading.seconds),
        referenceLabel: "read and validate cards only",
      },
      {
        name: "export: projects.csv size",
        size,
        value: Math.round((csv.bytes / 1024 ** 2) * 100) / 100,
        unit: "MiB",
      },
      {
        name: "export: projects.json size",
        size,
        value: Math.round((json.bytes / 1024 ** 2) * 100) / 100,
        unit: "MiB",
      },
    ];
  },
};

export default exportCase;
