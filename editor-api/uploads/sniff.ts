/**
 * Recognises a file from its first bytes (its magic number). Containers (zip, OLE) are only
 * classed here, and `ooxml.ts` and `ole.ts` check their contents. A file that matches no magic
 * number is left to the plain-text check of `text.ts`.
 */

/** Class of a file by its first bytes: a final type, a container to open, or an executable. */
export type Sniffed =
  | { class: "binary"; kind: "pdf" | "jpeg" | "tiff" | "png" | "gif" | "mpeg" | "ogg" | "rtf" }
  | { class: "binary"; kind: "mp4" | "mov" | "mp3" }
  | { class: "zip" }
  | { class: "ole" }
  | { class: "executable"; format: "ELF" | "PE" | "Mach-O" | "script" }
  | { class: "unknown" };

const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const MACH_O_SIGNATURES = [
  [0xfe, 0xed, 0xfa, 0xce],
  [0xfe, 0xed, 0xfa, 0xcf],
  [0xce, 0xfa, 0xed, 0xfe],
  [0xcf, 0xfa, 0xed, 0xfe],
  [0xca, 0xfe, 0xba, 0xbe],
];
/** Top-level atoms that old QuickTime files start with instead of `ftyp`. */
const QUICKTIME_ATOMS = ["moov", "mdat", "wide", "free", "skip", "pnot"];

/** Classes a file from its first bytes (the more given, up to a few KiB, the better). */
export function sniff(head: Uint8Array): Sniffed {
  const executable = sniffExecutable(head);
  if (executable) return { class: "executable", format: executable };

  if (startsWith(head, OLE_SIGNATURE)) return { class: "ole" };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return { class: "zip" };
  if (startsWithText(head, "%PDF-")) return { class: "binary", kind: "pdf" };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { class: "binary", kind: "jpeg" };
  if (startsWith(head, PNG_SIGNATURE)) return { class: "binary", kind: "png" };
  if (startsWithText(head, "GIF87a") || startsWithText(head, "GIF89a")) {
    return { class: "binary", kind: "gif" };
  }
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { class: "binary", kind: "tiff" };
  }
  // MPEG program stream pack header or video sequence header.
  if (startsWith(head, [0x00, 0x00, 0x01, 0xba]) || startsWith(head, [0x00, 0x00, 0x01, 0xb3])) {
    return { class: "binary", kind: "mpeg" };
  }
  if (startsWithText(head, "OggS")) return { class: "binary", kind: "ogg" };
  if (startsWithText(head, "{\\rtf")) return { class: "binary", kind: "rtf" };

  const isoMedia = sniffIsoMedia(head);
  if (isoMedia) return { class: "binary", kind: isoMedia };
  if (isMp3(head)) return { class: "binary", kind: "mp3" };

  return { class: "unknown" };
}

function sniffExecutable(head: Uint8Array): "ELF" | "PE" | "Mach-O" | "script" | undefined {
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) return "ELF";
  if (MACH_O_SIGNATURES.some((signature) => startsWith(head, signature))) return "Mach-O";
  if (startsWithText(head, "#!")) return "script";
  // A DOS or PE executable starts with `MZ` and has binary header fields. A text file that
  // happens to start with "MZ" has no NUL byte in its first 64 bytes.
  if (startsWithText(head, "MZ") && head.subarray(0, 64).includes(0)) return "PE";
  return undefined;
}

/** ISO base media files (MP4, QuickTime) start with a size and the `ftyp` box. */
function sniffIsoMedia(head: Uint8Array): "mp4" | "mov" | undefined {
  if (head.length < 12) return undefined;
  const box = ascii(head, 4, 8);
  if (box === "ftyp") return ascii(head, 8, 12) === "qt  " ? "mov" : "mp4";
  if (QUICKTIME_ATOMS.includes(box)) return "mov";
  return undefined;
}

/** Returns true for an ID3v2 tag or an MPEG audio frame header of layer I, II or III. */
function isMp3(head: Uint8Array): boolean {
  if (startsWithText(head, "ID3")) return true;
  if (head.length < 4 || head[0] !== 0xff || (head[1] & 0xe0) !== 0xe0) return false;
  const version = (head[1] >> 3) & 0x03;
  const layer = (head[1] >> 1) & 0x03;
  const bitrate = head[2] >> 4;
  // Version 01 is reserved, layer 00 marks AAC (ADTS) rather than MPEG audio, bitrate 1111 is bad.
  return version !== 0x01 && layer !== 0x00 && bitrate !== 0x0f;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((byte, index) => bytes[index] === byte);
}

function startsWithText(bytes: Uint8Array, prefix: string): boolean {
  return startsWith(
    bytes,
    [...prefix].map((character) => character.charCodeAt(0)),
  );
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}
