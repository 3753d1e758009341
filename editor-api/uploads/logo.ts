/**
 * Logos: JPEG, PNG or GIF only, never SVG, which can carry scripts. sharp decodes them under a
 * pixel limit, so a decompression bomb is rejected from its header. Accepted logos are resized
 * to fit in 800 × 800 and stored as PNG in the upload store.
 */
import { Readable } from "node:stream";
import sharp from "sharp";
import { idleReader } from "./idle-reader.ts";
import { sniff } from "./sniff.ts";
import { type StoredFile, type UploadSource, type UploadStore, uploadTimeout } from "./store.ts";

export const LOGO_MAX_SIDE = 800;
/** Largest logo upload read into memory: 10 MiB. */
export const LOGO_MAX_BYTES = 10 * 1024 * 1024;
/** Largest decoded logo: 40 megapixels, above a typical camera photo, far below a bomb. */
export const LOGO_MAX_INPUT_PIXELS = 40_000_000;

export interface LogoOptions {
  maxBytes?: number;
  /** Time the upload may go without data; the store's idle timeout by default. */
  idleTimeoutMs?: number;
  maxInputPixels?: number;
}

export type LogoResult =
  | { ok: true; file: StoredFile; width: number; height: number }
  | {
      ok: false;
      code:
        | "FILE_TOO_LARGE"
        | "FILE_TYPE_NOT_ALLOWED"
        | "IMAGE_INVALID"
        | "UPLOAD_INTERRUPTED"
        | "UPLOAD_TIMEOUT";
      message: string;
      details: Record<string, unknown>;
    };

const LOGO_FORMATS = ["jpeg", "png", "gif"] as const;

/** Reads, checks, normalises and stores one logo upload. */
export async function storeLogo(
  store: UploadStore,
  source: UploadSource,
  declaredName: string,
  options: LogoOptions = {},
): Promise<LogoResult> {
  const maxBytes = options.maxBytes ?? LOGO_MAX_BYTES;
  const idleMs = options.idleTimeoutMs ?? store.idleTimeoutMs;
  const read = await readLimited(source, maxBytes, idleMs, declaredName);
  if (!read.ok) {
    if (read.code === "UPLOAD_TIMEOUT") {
      store.logger.warn(
        { idleTimeoutMs: idleMs, bytesRead: read.details.bytesRead },
        "logo upload timed out",
      );
    }
    return read;
  }
  const input = read.bytes;

  const sniffed = sniff(input.subarray(0, 64));
  let detected: string = sniffed.class;
  if (sniffed.class === "binary") detected = sniffed.kind;
  if (sniffed.class === "unknown") detected = describeUnknown(input);
  if (!(LOGO_FORMATS as readonly string[]).includes(detected)) {
    return {
      ok: false,
      code: "FILE_TYPE_NOT_ALLOWED",
      message: `a logo must be a JPEG, PNG or GIF image, but the file ${declaredName} is ${detected}`,
      details: { detected, declared: declaredName.split(".").pop() ?? "", accepted: LOGO_FORMATS },
    };
  }

  let output: { data: Buffer; info: { width: number; height: number } };
  try {
    const image = sharp(input, {
      limitInputPixels: options.maxInputPixels ?? LOGO_MAX_INPUT_PIXELS,
      failOn: "error",
    });
    const metadata = await image.metadata();
    if (!(LOGO_FORMATS as readonly string[]).includes(metadata.format ?? "")) {
      throw new Error(`decoded as ${metadata.format}, not JPEG, PNG or GIF`);
    }
    output = await image
      .rotate()
      .resize({
        width: LOGO_MAX_SIDE,
        height: LOGO_MAX_SIDE,
        fit: "inside",
        withoutEnlargement: true,
      })
      .png()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    return {
      ok: false,
      code: "IMAGE_INVALID",
      message: `the file ${declaredName} cannot be used as a logo: ${(error as Error).message}`,
      details: { detected },
    };
  }

  const stored = await store.put(Readable.from([output.data]), "logo.png", { kinds: ["png"] });
  if (!stored.ok) return stored;
  return { ok: true, file: stored.file, width: output.info.width, height: output.info.height };
}

type ReadResult =
  | { ok: true; bytes: Buffer }
  | {
      ok: false;
      code: "FILE_TOO_LARGE" | "UPLOAD_TIMEOUT";
      message: string;
      details: Record<string, unknown>;
    };

async function readLimited(
  source: UploadSource,
  maxBytes: number,
  idleMs: number,
  declaredName: string,
): Promise<ReadResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = idleReader(source, idleMs);
  for (;;) {
    const read = await reader.next();
    // A stalled body is left unread: the 408 response closes the connection.
    if ("timedOut" in read) return uploadTimeout(declaredName, idleMs, size);
    if (read.done) break;
    const chunk = Buffer.from(read.chunk);
    size += chunk.byteLength;
    if (size > maxBytes) {
      reader.stop();
      return {
        ok: false,
        code: "FILE_TOO_LARGE",
        message: `a logo may have at most ${maxBytes} bytes; upload a smaller image`,
        details: { maxBytes, bytesRead: size },
      };
    }
    chunks.push(chunk);
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

/** Names markup content (SVG, HTML, XML) for the rejection message. */
function describeUnknown(input: Buffer): string {
  const start = input.subarray(0, 512).toString("utf8").trimStart().toLowerCase();
  if (start.includes("<svg")) return "svg";
  if (start.startsWith("<")) return "markup";
  return "unknown";
}
