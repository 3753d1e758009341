/**
 * Streaming reader for the first worksheet of an XLSX workbook (Office Open XML).
 *
 * yauzl reads the zip's central directory and opens single entries as streams, and saxes parses
 * `xl/sharedStrings.xml` and the worksheet as they arrive. Only the shared-string table is kept
 * in memory, because the worksheet refers to it by index. Rows are yielded one chunk at a time.
 */
import type { Readable } from "node:stream";
import { SaxesParser, type SaxesTagPlain } from "saxes";
import yauzl from "yauzl";

/** One worksheet row: its 1-based row number and its cells by zero-based column index. */
export interface SheetRow {
  row: number;
  cells: string[];
}

/** An XLSX file that could not be read, with a stable code. */
export class XlsxFormatError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "XlsxFormatError";
    this.code = code;
  }
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) => {
      if (error || !zip) {
        reject(
          new XlsxFormatError(
            "XLSX_NOT_A_ZIP",
            `${path} is not a valid XLSX (zip) file (${error?.message}); export it again, or open it in the spreadsheet program and save it as Excel Workbook (.xlsx)`,
            { cause: error },
          ),
        );
      } else resolve(zip);
    });
  });
}

function listEntries(zip: yauzl.ZipFile): Promise<Map<string, yauzl.Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, yauzl.Entry>();
    zip.on("entry", (entry: yauzl.Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once("end", () => resolve(entries));
    zip.once("error", reject);
    zip.readEntry();
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) reject(error);
      else resolve(stream);
    });
  });
}

const localName = (name: string) => name.slice(name.indexOf(":") + 1);

/** Decodes the `_xHHHH_` escapes that OOXML uses for control characters such as CR. */
function decodeEscapes(text: string): string {
  if (!text.includes("_x")) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/**
 * Feeds an entry's text through a saxes parser. `onChunk` runs after each chunk so a caller can
 * drain what the handlers collected.
 */
async function* parseEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  attach: (parser: SaxesParser) => void,
): AsyncGenerator<void> {
  const parser = new SaxesParser();
  let failure: Error | undefined;
  parser.on("error", (error) => {
    failure ??= error;
  });
  attach(parser);
  const stream = await openEntry(zip, entry);
  stream.setEncoding("utf8");
  for await (const chunk of stream) {
    parser.write(chunk as string);
    if (failure) break;
    yield;
  }
  if (!failure) parser.close();
  if (failure) {
    stream.destroy();
    throw invalidXmlError(entry.fileName, failure);
  }
  yield;
}

/**
 * Builds the error for a part of the workbook that is not well-formed XML. saxes writes its
 * messages as `line:column: text`, which becomes words here.
 */
function invalidXmlError(part: string, failure: Error): XlsxFormatError {
  const match = /^(\d+):(\d+): (.*?)\.?$/s.exec(failure.message);
  const where = match
    ? ` at line ${match[1]}, column ${match[2]} (${match[3]})`
    : ` (${failure.message})`;
  return new XlsxFormatError(
    "XLSX_INVALID_XML",
    `the workbook part ${part} is not valid XML${where}; open the file in the spreadsheet program and save it again as Excel Workbook (.xlsx)`,
    { cause: failure },
  );
}

async function readSmallXml(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry | undefined,
): Promise<SaxesTagPlain[]> {
  const tags: SaxesTagPlain[] = [];
  if (entry === undefined) return tags;
  for await (const _ of parseEntry(zip, entry, (parser) => {
    parser.on("opentag", (tag) => tags.push(tag));
  })) {
    // Tags are collected by the handler.
  }
  return tags;
}

/** Finds the first worksheet in workbook order, through the workbook's relationships. */
async function firstSheetPath(
  zip: yauzl.ZipFile,
  entries: Map<string, yauzl.Entry>,
): Promise<string | undefined> {
  const workbook = await readSmallXml(zip, entries.get("xl/workbook.xml"));
  const relations = await readSmallXml(zip, entries.get("xl/_rels/workbook.xml.rels"));
  const sheet = workbook.find((tag) => localName(tag.name) === "sheet");
  const relationId = sheet?.attributes["r:id"];
  const relation = relations.find(
    (tag) => localName(tag.name) === "Relationship" && tag.attributes.Id === relationId,
  );
  const target = relation?.attributes.Target;
  if (target !== undefined) {
    const path = target.startsWith("/") ? target.slice(1) : `xl/${target}`;
    if (entries.has(path)) return path;
  }
  return [...entries.keys()]
    .filter((name) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))[0];
}

async function readSharedStrings(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry | undefined,
): Promise<string[]> {
  const strings: string[] = [];
  if (entry === undefined) return strings;
  let current = "";
  let inText = false;
  let phoneticDepth = 0;
  for await (const _ of parseEntry(zip, entry, (parser) => {
    parser.on("opentag", (tag) => {
      const name = localName(tag.name);
      if (name === "si") current = "";
      else if (name === "rPh") phoneticDepth += 1;
      else if (name === "t" && phoneticDepth === 0) inText = !tag.isSelfClosing;
    });
    parser.on("text", (text) => {
      if (inText) current += text;
    });
    parser.on("closetag", (tag) => {
      const name = localName(tag.name);
      if (name === "t") inText = false;
      else if (name === "rPh") phoneticDepth -= 1;
      else if (name === "si") strings.push(decodeEscapes(current));
    });
  })) {
    // Strings are collected by the handlers.
  }
  return strings;
}

/** Zero-based column index of a cell reference such as `B7` or `AA12`. */
export function columnIndexOf(reference: string): number | undefined {
  const letters = /^([A-Z]+)\d*$/i.exec(reference)?.[1];
  if (letters === undefined) return undefined;
  let index = 0;
  for (const letter of letters.toUpperCase()) index = index * 26 + (letter.charCodeAt(0) - 64);
  return index - 1;
}

/**
 * Streams the rows of the first worksheet. Cell values are strings: shared and inline strings
 * as written, numbers as in the file (`41921`, `199440.7`), booleans as `TRUE`/`FALSE`. Empty
 * cells are absent from the file and become `""`, placed by the cell's `r` reference.
 */
export async function* readXlsxRows(path: string): AsyncGenerator<SheetRow> {
  const zip = await openZip(path);
  try {
    const entries = await listEntries(zip);
    const sheetPath = await firstSheetPath(zip, entries);
    const sheet = sheetPath === undefined ? undefined : entries.get(sheetPath);
    if (sheet === undefined) {
      throw new XlsxFormatError(
        "XLSX_NO_SHEET",
        "the workbook has no worksheet; export it again, or save it again as Excel Workbook (.xlsx)",
      );
    }
    const shared = await readSharedStrings(zip, entries.get("xl/sharedStrings.xml"));

    const done: SheetRow[] = [];
    let row: SheetRow | undefined;
    let lastRowNumber = 0;
    let column = 0;
    let type = "n";
    let value = "";
    let capture = false;
    let phoneticDepth = 0;

    const onOpen = (tag: SaxesTagPlain) => {
      const name = localName(tag.name);
      if (name === "row") {
        const number = Number(tag.attributes.r);
        const valid = Number.isInteger(number) && number > 0;
        row = { row: valid ? number : lastRowNumber + 1, cells: [] };
        lastRowNumber = row.row;
        column = 0;
      } else if (name === "c") {
        const reference = tag.attributes.r;
        column = (reference === undefined ? undefined : columnIndexOf(reference)) ?? column;
        type = tag.attributes.t ?? "n";
        value = "";
      } else if (name === "rPh") {
        phoneticDepth += 1;
      } else if ((name === "v" || name === "t") && phoneticDepth === 0) {
        capture = !tag.isSelfClosing;
      }
    };
    const onClose = (tag: SaxesTagPlain) => {
      const name = localName(tag.name);
      if (name === "v" || name === "t") capture = false;
      else if (name === "rPh") phoneticDepth -= 1;
      else if (name === "c" && row !== undefined) {
        row.cells[column] = cellText(type, value, shared);
        column += 1;
      } else if (name === "row" && row !== undefined) {
        for (let i = 0; i < row.cells.length; i += 1) row.cells[i] ??= "";
        done.push(row);
        row = undefined;
      }
    };

    for await (const _ of parseEntry(zip, sheet, (parser) => {
      parser.on("opentag", onOpen);
      parser.on("closetag", onClose);
      parser.on("text", (text) => {
        if (capture) value += text;
      });
    })) {
      yield* done;
      done.length = 0;
    }
  } catch (error) {
    throw damagedError(path, error);
  } finally {
    zip.close();
  }
}

/**
 * Gives a stable code and a way out to the errors that yauzl and zlib raise on a damaged zip,
 * such as a bad local header signature or a corrupt DEFLATE stream.
 */
function damagedError(path: string, error: unknown): Error {
  if (error instanceof XlsxFormatError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new XlsxFormatError(
    "XLSX_DAMAGED",
    `${path} is a damaged XLSX file (${detail}); export it again, or open it in the spreadsheet program and save it again as Excel Workbook (.xlsx)`,
    { cause: error },
  );
}

function cellText(type: string, value: string, shared: string[]): string {
  switch (type) {
    case "s":
      return shared[Number(value)] ?? "";
    case "b":
      return value === "1" ? "TRUE" : "FALSE";
    case "inlineStr":
    case "str":
      return decodeEscapes(value);
    default:
      return value;
  }
}
