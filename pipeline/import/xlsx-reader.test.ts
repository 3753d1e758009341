import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openExport } from "./reader.ts";
import { buildXlsx, buildZip } from "./test-xlsx.ts";
import { columnIndexOf, readXlsxRows, type SheetRow } from "./xlsx-reader.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "xlsx-reader-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(path: string): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const row of readXlsxRows(path)) rows.push(row);
  return rows;
}

describe("readXlsxRows", () => {
  it("reads shared, inline, numeric, boolean and empty cells", async () => {
    const path = join(dir, "cells.xlsx");
    await writeFile(
      path,
      buildXlsx([
        ["Project Number", "Start date", "Note", "Flag", "Grant"],
        ["552237-CREA-1-2014-1-NL-CULT-COOP1", 41921, null, true, 199440.7],
        [null, null, { inline: "Line one\nLine two & <three>" }, false, null],
        ["Vocarska 17\n32000 Vukovar", 42643],
      ]),
    );
    expect(await readAll(path)).toEqual([
      { row: 1, cells: ["Project Number", "Start date", "Note", "Flag", "Grant"] },
      { row: 2, cells: ["552237-CREA-1-2014-1-NL-CULT-COOP1", "41921", "", "TRUE", "199440.7"] },
      { row: 3, cells: ["", "", "Line one\nLine two & <three>", "FALSE"] },
      { row: 4, cells: ["Vocarska 17\n32000 Vukovar", "42643"] },
    ]);
  });

  it("decodes _xHHHH_ escapes and skips phonetic runs", async () => {
    const sheet = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="3"><c r="C3" t="s"><v>1</v></c></row></sheetData></worksheet>`;
    const shared = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>a_x000D_b</t></si><si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si></sst>`;
    const path = join(dir, "escapes.xlsx");
    await writeFile(
      path,
      buildZip([
        { name: "xl/worksheets/sheet1.xml", data: Buffer.from(sheet) },
        { name: "xl/sharedStrings.xml", data: Buffer.from(shared) },
      ]),
    );
    expect(await readAll(path)).toEqual([
      { row: 1, cells: ["a\rb"] },
      { row: 3, cells: ["", "", "東京"] },
    ]);
  });

  it("rejects a file that is not a zip", async () => {
    const path = join(dir, "broken.xlsx");
    await writeFile(path, Buffer.concat([Buffer.from("PK\u0003\u0004"), Buffer.alloc(40)]));
    await expect(readAll(path)).rejects.toMatchObject({
      code: "XLSX_NOT_A_ZIP",
      message: expect.stringMatching(/^\S+broken\.xlsx is not a valid XLSX \(zip\) file \(/),
    });
  });

  it("names the part and position of invalid XML", async () => {
    const path = join(dir, "garbage.xlsx");
    await writeFile(
      path,
      buildZip([{ name: "xl/worksheets/sheet1.xml", data: Buffer.from("<sheet>\n<ro\u0001w/>") }]),
    );
    await expect(readAll(path)).rejects.toMatchObject({
      code: "XLSX_INVALID_XML",
      message:
        "the workbook part xl/worksheets/sheet1.xml is not valid XML at line 2, column 4 (disallowed character); open the file in the spreadsheet program and save it again as Excel Workbook (.xlsx)",
    });
  });

  it("rejects a workbook without a worksheet", async () => {
    const path = join(dir, "empty.xlsx");
    await writeFile(
      path,
      buildZip([{ name: "xl/workbook.xml", data: Buffer.from("<workbook/>") }]),
    );
    await expect(readAll(path)).rejects.toMatchObject({ code: "XLSX_NO_SHEET" });
  });

  it.each([
    ["A1", 0],
    ["Z9", 25],
    ["AA10", 26],
    ["WX2", 621],
  ])("column of %s is %d", (reference, index) => {
    expect(columnIndexOf(reference)).toBe(index);
  });
});

describe("openExport on XLSX", () => {
  it("keys values by header and leaves out empty cells", async () => {
    const path = join(dir, "export.xlsx");
    await writeFile(
      path,
      buildXlsx([
        ["Project Number", "Project Title", "Start date"],
        ["X-1", null, 41921],
      ]),
    );
    const file = await openExport(path);
    expect(file.format).toBe("xlsx");
    expect(file.headers).toEqual(["Project Number", "Project Title", "Start date"]);
    const rows = [];
    for await (const row of file.rows) rows.push(row);
    expect(rows).toEqual([
      { line: 2, values: { "Project Number": "X-1", "Start date": "41921" }, fieldCount: 3 },
    ]);
  });
});

describe("openExport failures", () => {
  it("rejects random bytes named .xlsx as not a zip", async () => {
    const path = join(dir, "random.xlsx");
    await writeFile(path, randomBytes(4096));
    await expect(openExport(path)).rejects.toMatchObject({
      code: "XLSX_NOT_A_ZIP",
      message: `${path} is not a valid XLSX (zip) file; export it again, or open it in the spreadsheet program and save it as Excel Workbook (.xlsx)`,
    });
  });

  it("rejects a folder", async () => {
    const path = join(dir, "exports");
    await mkdir(path);
    await expect(openExport(path)).rejects.toMatchObject({
      code: "IS_A_DIRECTORY",
      message: `${path} is a directory; give export files (.csv or .xlsx), not a folder`,
    });
  });

  it("rejects a missing file", async () => {
    const path = join(dir, "missing.xlsx");
    await expect(openExport(path)).rejects.toMatchObject({
      code: "FILE_NOT_FOUND",
      message: `file not found: ${path}; check the path`,
    });
  });
});
