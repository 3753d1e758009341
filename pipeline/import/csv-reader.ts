/**
 * Streaming CSV reader (RFC 4180) that keeps the physical line number where each record starts.
 *
 * Beyond the RFC it accepts CRLF, LF and lone CR line ends mixed in one file, and a UTF-8 BOM.
 * The delimiter is a comma or a semicolon, sniffed from the header line. A stray quote inside an
 * unquoted field is kept as a character. Blank lines are skipped. Input must be UTF-8.
 */
import { createReadStream } from "node:fs";
import { columnLetter } from "./layout.ts";
import { findInvalidUtf8 } from "./utf8.ts";

/** One CSV record and the physical line (from 1) on which it starts. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A CSV file that could not be parsed, with the line at fault. */
export class CsvSyntaxError extends Error {
  readonly code: string;
  readonly line: number;
  /** Zero-based index of the faulty field, set only when the error concerns one field. */
  readonly column?: number;

  constructor(
    code: string,
    message: string,
    line: number,
    options?: { cause?: unknown; column?: number },
  ) {
    super(message, options);
    this.name = "CsvSyntaxError";
    this.code = code;
    this.line = line;
    if (options?.column !== undefined) this.column = options.column;
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Incremental tokenizer: feed decoded text chunks, collect finished records. */
export class CsvTokenizer {
  readonly #delimiter: number;
  #fields: string[] = [];
  #field = "";
  #fieldQuoted = false;
  #inQuotes = false;
  #quotePending = false;
  #skipLineFeed = false;
  #previousWasCarriageReturn = false;
  #line = 1;
  #recordLine = 1;
  #quoteLine = 1;
  #quoteColumn = 0;

  constructor(delimiter: "," | ";") {
    this.#delimiter = delimiter.charCodeAt(0);
  }

  /** Consumes one chunk of text and appends every record it completes to `out`. */
  feed(text: string, out: CsvRecord[]): void {
    const length = text.length;
    const delimiter = this.#delimiter;
    // The field being read lives in a local during the loop and in `#field` between chunks.
    let field = this.#field;
    let i = 0;
    while (i < length) {
      const code = text.charCodeAt(i);
      if (this.#skipLineFeed) {
        this.#skipLineFeed = false;
        if (code === LF) {
          i += 1;
          continue;
        }
      }

      if (this.#inQuotes) {
        if (this.#quotePending) {
          this.#quotePending = false;
          if (code === QUOTE) {
            field += '"';
            i += 1;
            continue;
          }
          this.#inQuotes = false;
        } else {
          const quote = text.indexOf('"', i);
          const end = quote === -1 ? length : quote;
          this.#countLineBreaks(text, i, end);
          field += text.slice(i, end);
          if (quote === -1) break;
          this.#quotePending = true;
          i = quote + 1;
          continue;
        }
      }

      if (code === delimiter) {
        this.#fields.push(field);
        field = "";
        this.#fieldQuoted = false;
        i += 1;
      } else if (code === LF || code === CR) {
        this.#field = field;
        this.#endRecord(out);
        field = "";
        this.#line += 1;
        this.#recordLine = this.#line;
        if (code === CR) this.#skipLineFeed = true;
        i += 1;
      } else if (code === QUOTE && field === "" && !this.#fieldQuoted) {
        this.#inQuotes = true;
        this.#fieldQuoted = true;
        this.#quoteLine = this.#line;
        this.#quoteColumn = this.#fields.length;
        i += 1;
      } else {
        // A run of plain characters. A quote inside it is kept as a character.
        let end = i + 1;
        while (end < length) {
          const next = text.charCodeAt(end);
          if (next === delimiter || next === LF || next === CR) break;
          end += 1;
        }
        field += text.slice(i, end);
        i = end;
      }
    }
    this.#field = field;
  }

  /** Ends the input; throws `CsvSyntaxError` on a quoted field that is never closed. */
  end(out: CsvRecord[]): void {
    if (this.#inQuotes && !this.#quotePending) {
      const column = this.#quoteColumn;
      throw new CsvSyntaxError(
        "CSV_UNCLOSED_QUOTE",
        `a quoted field that starts on line ${this.#quoteLine} in column ${columnLetter(column)} is never closed at the end of the file; the file may be cut short, so export it again, or check the quotes in that row`,
        this.#quoteLine,
        { column },
      );
    }
    this.#inQuotes = false;
    this.#quotePending = false;
    this.#endRecord(out);
  }

  #countLineBreaks(text: string, start: number, end: number): void {
    for (let i = start; i < end; i += 1) {
      const code = text.charCodeAt(i);
      if (code === LF) {
        if (!this.#previousWasCarriageReturn) this.#line += 1;
      } else if (code === CR) {
        this.#line += 1;
      }
      this.#previousWasCarriageReturn = code === CR;
    }
  }

  #endRecord(out: CsvRecord[]): void {
    const blank = this.#fields.length === 0 && this.#field === "" && !this.#fieldQuoted;
    if (!blank) {
      this.#fields.push(this.#field);
      out.push({ line: this.#recordLine, fields: this.#fields });
    }
    this.#fields = [];
    this.#field = "";
    this.#fieldQuoted = false;
    this.#previousWasCarriageReturn = false;
  }
}

/** Picks `;` when the header line has more semicolons than commas outside quotes, else `,`. */
export function sniffDelimiter(headerText: string): "," | ";" {
  let commas = 0;
  let semicolons = 0;
  let inQuotes = false;
  for (const char of headerText) {
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (char === "\n" || char === "\r")) break;
    else if (!inQuotes && char === ",") commas += 1;
    else if (!inQuotes && char === ";") semicolons += 1;
  }
  return semicolons > commas ? ";" : ",";
}

/** Reads at most this many characters before the header line must have ended. */
const SNIFF_LIMIT = 1 << 20;

/**
 * Streams the records of a CSV file. The file is read in chunks, so memory stays bounded by the
 * largest record. Throws `CsvSyntaxError` for text that is not UTF-8 or a quote never closed.
 */
export async function* readCsvRecords(path: string): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  let tokenizer: CsvTokenizer | undefined;
  let pending = "";
  let decodedBytes = 0;
  const out: CsvRecord[] = [];

  const decode = (chunk?: Buffer): string => {
    const text = chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    if (chunk !== undefined) decodedBytes += chunk.length;
    return text;
  };

  try {
    for await (const chunk of stream) {
      let text = decode(chunk as Buffer);
      if (tokenizer === undefined) {
        pending += text;
        if (!/[\r\n]/.test(pending) && pending.length < SNIFF_LIMIT) continue;
        tokenizer = new CsvTokenizer(sniffDelimiter(pending));
        text = pending;
        pending = "";
      }
      tokenizer.feed(text, out);
      yield* out;
      out.length = 0;
    }
    const rest = pending + decode();
    tokenizer ??= new CsvTokenizer(sniffDelimiter(rest));
    tokenizer.feed(rest, out);
    tokenizer.end(out);
    yield* out;
  } catch (error) {
    // TextDecoder throws a TypeError with code ERR_ENCODING_INVALID_ENCODED_DATA.
    if ((error as { code?: unknown }).code !== "ERR_ENCODING_INVALID_ENCODED_DATA") throw error;
    throw await notUtf8Error(path, decodedBytes, error);
  } finally {
    stream.destroy();
  }
}

/** Builds the error for a file that is not UTF-8, naming the first invalid byte and its line. */
async function notUtf8Error(
  path: string,
  decodedBytes: number,
  cause: unknown,
): Promise<CsvSyntaxError> {
  const invalid = await findInvalidUtf8(path);
  if (invalid?.atEnd) {
    return new CsvSyntaxError(
      "CSV_NOT_UTF8",
      `the file ends inside a UTF-8 character (byte 0x${hexByte(invalid.byte)} at offset ${invalid.offset} on line ${invalid.line}), so it was probably cut short; export the file again`,
      invalid.line,
      { cause },
    );
  }
  const where =
    invalid === undefined
      ? `near byte ${decodedBytes}`
      : `byte 0x${hexByte(invalid.byte)} at offset ${invalid.offset} on line ${invalid.line}`;
  return new CsvSyntaxError(
    "CSV_NOT_UTF8",
    `the file is not valid UTF-8 (${where}); open it in the spreadsheet program and save it as "CSV UTF-8"`,
    invalid?.line ?? 0,
    { cause },
  );
}

/** Formats a byte as two uppercase hexadecimal digits. */
function hexByte(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, "0");
}
