/**
 * Locates the first byte of a file that is not valid UTF-8, for an error message that points at
 * it. Callers run it only after decoding has failed, so a valid file is never scanned twice.
 */
import { createReadStream } from "node:fs";

/** Position and value of the first invalid byte in a file. */
export interface InvalidByte {
  /** Byte offset from the start of the file, from 0. */
  offset: number;
  /** Physical line, from 1. */
  line: number;
  /** Value of the invalid byte. */
  byte: number;
  /** Whether the file ends inside a multi-byte character, as a file cut short does. */
  atEnd: boolean;
}

const LF = 10;
const CR = 13;

/**
 * Returns the length of the valid UTF-8 sequence that starts at `i`, 0 when it is invalid, or -1
 * when the buffer ends inside a sequence that could still be valid.
 */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const first = bytes[i] as number;
  if (first < 0x80) return 1;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (first >= 0xc2 && first <= 0xdf) length = 2;
  else if (first >= 0xe0 && first <= 0xef) {
    length = 3;
    if (first === 0xe0) low = 0xa0;
    if (first === 0xed) high = 0x9f;
  } else if (first >= 0xf0 && first <= 0xf4) {
    length = 4;
    if (first === 0xf0) low = 0x90;
    if (first === 0xf4) high = 0x8f;
  } else return 0;
  for (let k = 1; k < length; k += 1) {
    if (i + k >= bytes.length) return -1;
    const next = bytes[i + k] as number;
    const min = k === 1 ? low : 0x80;
    const max = k === 1 ? high : 0xbf;
    if (next < min || next > max) return 0;
  }
  return length;
}

/**
 * Scans `path` and returns its first invalid UTF-8 byte, or undefined when the whole file is
 * valid. Lines are counted as the CSV reader does: CRLF, LF and a lone CR each end one line.
 */
export async function findInvalidUtf8(path: string): Promise<InvalidByte | undefined> {
  let offset = 0;
  let line = 1;
  let previousWasCarriageReturn = false;
  let carry: Uint8Array = new Uint8Array(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 16 })) {
    const bytes = carry.length === 0 ? (chunk as Buffer) : Buffer.concat([carry, chunk as Buffer]);
    carry = new Uint8Array(0);
    let i = 0;
    while (i < bytes.length) {
      const length = sequenceLength(bytes, i);
      if (length === -1) {
        carry = bytes.subarray(i);
        break;
      }
      if (length === 0) {
        return { offset: offset + i, line, byte: bytes[i] as number, atEnd: false };
      }
      const code = bytes[i];
      if (code === CR || (code === LF && !previousWasCarriageReturn)) line += 1;
      previousWasCarriageReturn = code === CR;
      i += length;
    }
    offset += i;
  }
  if (carry.length > 0) return { offset, line, byte: carry[0] as number, atEnd: true };
  return undefined;
}
