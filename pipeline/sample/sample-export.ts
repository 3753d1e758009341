/**
 * Sample files in the layout of the platform's own exports, for importer tests and benchmarks.
 * Rows are written one at a time through a buffered temporary file, so a 100,000-row file
 * needs no more memory than a 10-row one.
 */
import { AtomicFileWriter, type CommittedFile } from "../export/atomic-writer.ts";
import { BOM, csvRecord } from "../export/csv.ts";
import { ERASMUS_PLUS_HEADERS, erasmusPlusRow } from "../export/layout.ts";
import { generateCards } from "./generate.ts";
import { createRandom } from "./random.ts";

/** Export layouts `writeSampleExport` can write. */
export type SampleExportLayout = "erasmus-plus-2014-2020";

const TITLE_COLUMN = ERASMUS_PLUS_HEADERS.indexOf("Project Title");
const COUNTRIES_COLUMN = ERASMUS_PLUS_HEADERS.indexOf("Participating countries");

/** Column indexes of website cells, which real exports often give without a scheme. */
const WEBSITE_COLUMNS = ERASMUS_PLUS_HEADERS.flatMap((header, index) =>
  /website$/i.test(header) ? [index] : [],
);

/**
 * Makes a row look like a row of a real export: most websites lose their `http://` scheme and
 * some cells get stray spaces around them.
 */
function roughen(row: string[], seed: string, index: number): string[] {
  const random = createRandom(`${seed}:export:${index}`);
  for (const column of WEBSITE_COLUMNS) {
    const value = row[column] as string;
    if (value !== "" && random.chance(0.75)) row[column] = value.replace(/^https?:\/\//, "");
  }
  if (random.chance(0.05)) row[COUNTRIES_COLUMN] = `${row[COUNTRIES_COLUMN]} `;
  if (random.chance(0.05)) row[TITLE_COLUMN] = ` ${row[TITLE_COLUMN]}`;
  return row;
}

/**
 * Writes `count` sample Erasmus+ projects as a CSV file in the 2018 Erasmus+ 2014-2020 export
 * layout: the 622 header names of the real files, UTF-8 with a byte order mark, CRLF row ends,
 * RFC 4180 quoting with multi-line summaries and addresses. Returns the committed file.
 */
export async function writeSampleExport(
  path: string,
  count: number,
  seed: string | number = "sample",
  layout: SampleExportLayout = "erasmus-plus-2014-2020",
): Promise<CommittedFile> {
  if (layout !== "erasmus-plus-2014-2020") {
    throw new Error(`unknown sample export layout "${layout}": use "erasmus-plus-2014-2020"`);
  }
  const writer = await new AtomicFileWriter(path).open();
  try {
    await writer.write(BOM + csvRecord(ERASMUS_PLUS_HEADERS));
    let index = 0;
    for (const card of generateCards(count, seed, {
      programmes: ["Erasmus+"],
      lastCallYear: 2020,
    })) {
      await writer.write(csvRecord(roughen(erasmusPlusRow(card), String(seed), index)));
      index++;
    }
    return await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
