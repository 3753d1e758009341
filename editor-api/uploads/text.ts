/**
 * Checks that an upload is plain text while it streams: UTF-8 (or, failing that, Latin-1 /
 * Windows-1252) without NUL bytes or other control characters, and not markup.
 */

export type TextVerdict =
  | { ok: true; encoding: "utf-8" | "latin-1" }
  | { ok: false; detected: "binary" | "markup"; reason: string };

/** Control bytes allowed in text: tab, line feed, form feed and carriage return. */
const ALLOWED_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d]);
const MARKUP_SNIFF_BYTES = 1024;

/** Incremental text check; feed every chunk in order, then call `finish`. */
export class TextScanner {
  #utf8 = new TextDecoder("utf-8", { fatal: true });
  #utf8Valid = true;
  #controlByte: number | undefined;
  #start = new Uint8Array(0);

  push(chunk: Uint8Array): void {
    if (this.#start.length < MARKUP_SNIFF_BYTES) {
      const take = chunk.subarray(0, MARKUP_SNIFF_BYTES - this.#start.length);
      const start = new Uint8Array(this.#start.length + take.length);
      start.set(this.#start);
      start.set(take, this.#start.length);
      this.#start = start;
    }

    if (this.#controlByte === undefined) {
      for (const byte of chunk) {
        if (byte < 0x20 && !ALLOWED_CONTROLS.has(byte)) {
          this.#controlByte = byte;
          break;
        }
      }
    }

    if (this.#utf8Valid) {
      try {
        this.#utf8.decode(chunk, { stream: true });
      } catch {
        this.#utf8Valid = false;
      }
    }
  }

  finish(): TextVerdict {
    if (this.#utf8Valid) {
      try {
        this.#utf8.decode();
      } catch {
        this.#utf8Valid = false;
      }
    }
    if (this.#controlByte !== undefined) {
      const hex = this.#controlByte.toString(16).padStart(2, "0");
      return {
        ok: false,
        detected: "binary",
        reason: `contains the control byte 0x${hex}, so it is not plain text`,
      };
    }
    if (startsWithMarkup(this.#start)) {
      return {
        ok: false,
        detected: "markup",
        reason: "starts with markup (HTML, SVG or XML), not plain text",
      };
    }
    return { ok: true, encoding: this.#utf8Valid ? "utf-8" : "latin-1" };
  }
}

/** Returns true when the text, past a byte-order mark and white space, starts with `<`. */
function startsWithMarkup(start: Uint8Array): boolean {
  let index = 0;
  if (start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf) index = 3;
  while (index < start.length && [0x20, 0x09, 0x0a, 0x0c, 0x0d].includes(start[index])) index++;
  return start[index] === 0x3c;
}
