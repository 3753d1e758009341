/**
 * Open-data export: writes N sample cards (not timed), then times `exportOpenData` over them.
 * The reference reads and validates the same card files without writing anything, the floor
 * of any export that streams over the cards.
 */
import { join } from "node:path";
import { listCardFiles, readCardFile } from "../../pipeline/card/index.ts";
import { exportOpenData } from "../../pipeline/export/open-data.ts";
import { writeSampleCards } from "../../pipeline/sample/write.ts";
import { perSecond, timed } from "../measure.ts";
import type { BenchCase } from "../types.ts";

const exportCase: BenchCase = {
  name: "export",
  description: "export N cards as open data (CSV, JSON, datapackage.json)",
  async run({ size, workDir, log }) {
    const contentDir = join(workDir, "content");
    await writeSampleCards(contentDir, size, "bench");
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
