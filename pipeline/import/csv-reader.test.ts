import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CsvRecord,
  CsvSyntaxError,
  CsvTokenizer,
  readCsvRecords,
  sniffDelimiter,
} from "./csv-reader.ts";
import { cultureCsv } from "./test-data.ts";

function tokenize(text: string, chunkSize = text.length, delimiter: "," | ";" = ","): CsvRecord[] {
  const tokenizer = new CsvTokenizer(delimiter);
  const out: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += chunkSize)
    tokenizer.feed(text.slice(i, i + chunkSize), out);
  tokenizer.end(out);
  return out;
}

describe("CsvTokenizer", () => {
  const text = 'a,b\r\n1,"x\r\ny"\r\n\r\n2,z\n"3\n\n",w\r4,"say ""hi"""';
  const expected: CsvRecord[] = [
    { line: 1, fields: ["a", "b"] },
    { line: 2, fields: ["1", "x\r\ny"] },
    { line: 5, fields: ["2", "z"] },
    { line: 6, fields: ["3\n\n", "w"] },
    { line: 9, fields: ["4", 'say "hi"'] },
  ];

  it("reads mixed line ends with start lines", () => {
    expect(tokenize(text)).toEqual(expected);
  });

  it.each([1, 2, 3, 5, 7])("gives the same records in chunks of %d", (size) => {
    expect(tokenize(text, size)).toEqual(expected);
  });

  it("keeps empty fields and a trailing empty field", () => {
    expect(tokenize("a,,c,\n,,\n")).toEqual([
      { line: 1, fields: ["a", "", "c", ""] },
      { line: 2, fields: ["", "", ""] },
    ]);
  });

  it("keeps a quoted empty record", () => {
    expect(tokenize('""\n')).toEqual([{ line: 1, fields: [""] }]);
  });

  it("keeps a stray quote inside an unquoted field", () => {
    expect(tokenize('a,5" screen,b\n')).toEqual([{ line: 1, fields: ["a", '5" screen', "b"] }]);
  });

  it("reads semicolons", () => {
    expect(tokenize('a;"b;c"\n1;2', 4, ";")).toEqual([
      { line: 1, fields: ["a", "b;c"] },
      { line: 2, fields: ["1", "2"] },
    ]);
  });

  it("rejects a quote never closed, naming its line", () => {
    expect(() => tokenize('a,b\n1,2\n3,"open\nstill open\n')).toThrow(
      new CsvSyntaxError(
        "CSV_UNCLOSED_QUOTE",
        "a quoted field that starts on line 3 in column B is never closed at the end of the file; the file may be cut short, so export it again, or check the quotes in that row",
        3,
        { column: 1 },
      ),
    );
  });

  it("names the column of a quote never closed", () => {
    let error: unknown;
    try {
      tokenize('a,b,c\n1,2,3\n4,5,"cut sho');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect((error as CsvSyntaxError).line).toBe(3);
    expect((error as CsvSyntaxError).column).toBe(2);
  });
});

describe("sniffDelimiter", () => {
  it.each([
    ["Programme,Key Action,Call year\n", ","],
    ["Programme;Key Action;Call year\r\n", ";"],
    ['"a,b";c;d\n', ";"],
    ["single\n", ","],
  ])("%j", (header, delimiter) => {
    expect(sniffDelimiter(header)).toBe(delimiter);
  });
});

describe("readCsvRecords", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "csv-reader-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function readAll(path: string): Promise<CsvRecord[]> {
    const records: CsvRecord[] = [];
    for await (const record of readCsvRecords(path)) records.push(record);
    return records;
  }

  it("strips the BOM and sniffs semicolons", async () => {
    const path = join(dir, "semi.csv");
    await writeFile(path, "\ufeffProject Identifier;Project Title\r\nX-1;Titre, avec virgule\r\n");
    expect(await readAll(path)).toEqual([
      { line: 1, fields: ["Project Identifier", "Project Title"] },
      { line: 2, fields: ["X-1", "Titre, avec virgule"] },
    ]);
  });

  it("rejects text that is not UTF-8", async () => {
    const path = join(dir, "latin1.csv");
    await writeFile(path, Buffer.from("a,b\nCaf\xe9,1\n", "latin1"));
    await expect(readAll(path)).rejects.toMatchObject({ code: "CSV_NOT_UTF8" });
  });

  it("names the offset and line of a Latin-1 byte past the first chunk", async () => {
    // The header fills more than one 64 KiB read, so the bad byte is not in the first chunk.
    const header = `${"a,".repeat(40_000)}b\r\n`;
    const path = join(dir, "latin1-late.csv");
    await writeFile(path, Buffer.from(`${header}x,y\r\nCaf\xe9,1\r\n`, "latin1"));
    const offset = header.length + 5 + 3;
    const error = await readAll(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect((error as CsvSyntaxError).line).toBe(3);
    expect((error as CsvSyntaxError).message).toBe(
      `the file is not valid UTF-8 (byte 0xE9 at offset ${offset} on line 3); open it in the spreadsheet program and save it as "CSV UTF-8"`,
    );
  });

  it("names a UTF-8 sequence cut by the end of the file", async () => {
    const path = join(dir, "cut.csv");
    await writeFile(path, Buffer.concat([Buffer.from("a,b\n\u00e9,"), Buffer.from([0xc3])]));
    await expect(readAll(path)).rejects.toMatchObject({
      code: "CSV_NOT_UTF8",
      line: 2,
      message:
        "the file ends inside a UTF-8 character (byte 0xC3 at offset 7 on line 2), so it was probably cut short; export the file again",
    });
  });

  it("reads the Culture export: 737 records over 4,659 lines", async () => {
    const records = await readAll(cultureCsv);
    expect(records).toHaveLength(738);
    expect(records.every((record) => record.fields.length === 169)).toBe(true);
    // Start lines checked against Python's csv module (line_num of the previous record + 1).
    const starts = records.map((record) => record.line);
    expect(starts.slice(0, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 9]);
    const last = records.at(-1);
    expect(last?.fields[3]).toBe("EACEA-545978");
    expect(last?.line).toBe(4651);
    expect(starts.reduce((sum, line) => sum + line, 0)).toBe(1_552_589);
  });
});
