/**
 * The open-data export: every card in `projects.csv` (the Erasmus+ 2014-2020 export layout) and
 * `projects.json` (published form), described by `datapackage.json`. Cards are read one at a
 * time and written through buffered temporary files, so memory stays flat with the card count,
 * and each file replaces the previous one only once it is complete.
 *
 * CSV cells that start with `=`, `+`, `-`, `@`, a tab or a carriage return get a leading `'`, so
 * spreadsheet programs show them as text instead of running them as formulas.
 */
import { join, relative } from "node:path";
import { type Card, listCardFiles, readCardFile } from "../card/index.ts";
import { AtomicFileWriter, type CommittedFile } from "./atomic-writer.ts";
import { BOM, csvRecord } from "./csv.ts";
import { dataPackage } from "./datapackage.ts";
import {
  ERASMUS_PLUS_HEADERS,
  erasmusPlusRow,
  MAX_LAYOUT_PARTNERS,
  type RowOptions,
} from "./layout.ts";
import { publishedCard } from "./published.ts";

export type OpenDataOptions = {
  /** Clock for the `created` date of `datapackage.json`. */
  now?: () => Date;
  /** URL of a card's page, for the `Results Platform Project Card` column. */
  cardUrl?: RowOptions["cardUrl"];
};

/** A card file left out of the export because it could not be read as a card. */
export type SkippedCardFile = {
  /** Path of the file, relative to the content folder. */
  file: string;
  reason: string;
};

export type OpenDataSummary = {
  cards: number;
  /** Card files left out because they are corrupt, empty or fail the schema. */
  skipped: SkippedCardFile[];
  /** Cards with more partners than the CSV layout has columns for (all are in the JSON). */
  truncatedPartnerLists: number;
  files: { csv: CommittedFile; json: CommittedFile; dataPackage: CommittedFile };
};

/**
 * Writes `projects.csv`, `projects.json` and `datapackage.json` for all valid cards under
 * `contentDir`. A file that cannot be read as a card is left out and listed in `skipped`.
 */
export async function exportOpenData(
  contentDir: string,
  outDir: string,
  options: OpenDataOptions = {},
): Promise<OpenDataSummary> {
  const csv = await new AtomicFileWriter(join(outDir, "projects.csv")).open();
  const json = await new AtomicFileWriter(join(outDir, "projects.json")).open();
  try {
    await csv.write(BOM + csvRecord(ERASMUS_PLUS_HEADERS));
    await json.write("[");
    let cards = 0;
    let truncatedPartnerLists = 0;
    const skipped: SkippedCardFile[] = [];
    const rowOptions: RowOptions = { cardUrl: options.cardUrl, countPublishedResults: true };

    for await (const path of listCardFiles(contentDir)) {
      let card: Card;
      try {
        card = await readCardFile(path);
      } catch (error) {
        skipped.push({ file: relative(contentDir, path), reason: (error as Error).message });
        continue;
      }
      await csv.write(csvRecord(erasmusPlusRow(card, rowOptions), { neutralise: true }));
      await json.write(`${cards === 0 ? "\n" : ",\n"}${JSON.stringify(publishedCard(card))}`);
      if (
        card.partners.some((partner, index) => (partner.number ?? index + 1) > MAX_LAYOUT_PARTNERS)
      ) {
        truncatedPartnerLists++;
      }
      cards++;
    }
    await json.write(cards === 0 ? "]\n" : "\n]\n");

    const csvFile = await csv.commit();
    const jsonFile = await json.commit();
    const created = (options.now ?? (() => new Date()))();
    const description = new AtomicFileWriter(join(outDir, "datapackage.json"));
    await description.open();
    await description.write(
      `${JSON.stringify(dataPackage({ created, cards, csv: csvFile, json: jsonFile }), null, 2)}\n`,
    );
    const dataPackageFile = await description.commit();
    return {
      cards,
      skipped,
      truncatedPartnerLists,
      files: { csv: csvFile, json: jsonFile, dataPackage: dataPackageFile },
    };
  } catch (error) {
    await csv.abort();
    await json.abort();
    throw error;
  }
}
