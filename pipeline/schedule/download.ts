/**
 * Downloads one export file into the staging folder. Every failure is returned as data with a
 * stable code: an HTTP error status, a timeout, a body shorter than its Content-Length (the
 * connection closed early), a file over the size limit, or a network error.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { redactUrl } from "./settings.ts";

export type DownloadErrorCode =
  | "DOWNLOAD_HTTP_STATUS"
  | "DOWNLOAD_TIMEOUT"
  | "DOWNLOAD_TRUNCATED"
  | "DOWNLOAD_TOO_LARGE"
  | "DOWNLOAD_FAILED";

export type DownloadResult =
  | { ok: true; url: string; file: string; bytes: number; sha256: string }
  | { ok: false; url: string; error: { code: DownloadErrorCode; message: string } };

export interface DownloadOptions {
  /** Folder that receives the file; it must exist. */
  dir: string;
  /** Position of the URL in the list, which keeps staged file names apart and in order. */
  index: number;
  timeoutMs: number;
  maxBytes: number;
}

class TooLargeError extends Error {}

/** Picks `.xlsx` for a zip file and `.csv` otherwise, because the importer reads both by content. */
async function extensionOf(path: string): Promise<".xlsx" | ".csv"> {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    return head.toString("hex") === "504b0304" ? ".xlsx" : ".csv";
  } finally {
    await handle.close();
  }
}

/** Names the staged file after the last path segment of the URL, reduced to safe characters. */
function stagedName(url: URL, index: number): string {
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape such as `%E0%A4%A` keeps the encoded form.
  }
  const stem = basename(path).replace(/\.(csv|xlsx?)$/i, "");
  const safe = stem.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 120) || "export";
  return `${String(index + 1).padStart(2, "0")}-${safe}`;
}

function failure(url: string, code: DownloadErrorCode, message: string): DownloadResult {
  return { ok: false, url, error: { code, message } };
}

/** Downloads `url` into `options.dir` and returns the staged file, or the failure. */
export async function downloadExport(url: URL, options: DownloadOptions): Promise<DownloadResult> {
  const displayUrl = redactUrl(url);
  const partial = join(options.dir, `${stagedName(url, options.index)}.part`);
  const signal = AbortSignal.timeout(options.timeoutMs);
  const seconds = Math.round(options.timeoutMs / 1000);
  let bytes = 0;
  let expected: number | undefined;
  const hash = createHash("sha256");
  try {
    const response = await fetch(url, { signal, redirect: "follow" });
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      return failure(
        displayUrl,
        "DOWNLOAD_HTTP_STATUS",
        `GET ${displayUrl} returned HTTP ${response.status}; check the URL in IMPORT_URLS and that the export is published`,
      );
    }
    const length = response.headers.get("content-length");
    expected = length === null ? undefined : Number(length);
    if (expected !== undefined && expected > options.maxBytes) {
      await response.body.cancel();
      throw new TooLargeError();
    }
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes > options.maxBytes) {
          callback(new TooLargeError());
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      counter,
      createWriteStream(partial),
    );
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof TooLargeError) {
      return failure(
        displayUrl,
        "DOWNLOAD_TOO_LARGE",
        `GET ${displayUrl} is larger than the limit of ${options.maxBytes} bytes; raise IMPORT_MAX_MEGABYTES if the export really is that large`,
      );
    }
    if (signal.aborted) {
      return failure(
        displayUrl,
        "DOWNLOAD_TIMEOUT",
        `GET ${displayUrl} did not complete within ${seconds} s (${bytes} bytes received); check the server, or raise IMPORT_TIMEOUT_SECONDS`,
      );
    }
    // Node's fetch (undici) fails a body cut short with a TypeError "terminated".
    if ((expected !== undefined && bytes < expected) || (error as Error).message === "terminated") {
      const of = expected === undefined ? "" : ` of ${expected}`;
      return failure(
        displayUrl,
        "DOWNLOAD_TRUNCATED",
        `GET ${displayUrl} ended after ${bytes}${of} bytes because the connection closed early; the next run downloads it again`,
      );
    }
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const reason = cause ?? (error as Error).message;
    return failure(
      displayUrl,
      "DOWNLOAD_FAILED",
      `GET ${displayUrl} failed (${reason}); check the network and the URL in IMPORT_URLS`,
    );
  }
  // Some servers send no Content-Length; a length that does not match is caught here as well.
  if (expected !== undefined && bytes !== expected) {
    await rm(partial, { force: true });
    return failure(
      displayUrl,
      "DOWNLOAD_TRUNCATED",
      `GET ${displayUrl} ended after ${bytes} of ${expected} bytes; the next run downloads it again`,
    );
  }
  const file = partial.replace(/\.part$/, await extensionOf(partial));
  await rm(file, { force: true });
  await rename(partial, file);
  return { ok: true, url: displayUrl, file, bytes, sha256: hash.digest("hex") };
}
