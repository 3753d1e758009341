/**
 * Downloads one export file into the staging folder. Every failure is returned as data with a
 * stable code: an HTTP error status, a timeout, a body shorter than its Content-Length (the
 * connection closed early), a file over the size limit, or a network error.
 *
 * The download uses `node:http` and `node:https` rather than `fetch`, because the fetch of
 * Node 24 (undici) could throw an uncaught assertion from a socket event when the connection
 * closed while the body stream was paused, which stopped the whole process.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { basename, join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
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
  /** Folder that receives the file. It must exist. */
  dir: string;
  /** Position of the URL in the list, which keeps staged file names apart and in order. */
  index: number;
  /** Time limit of the whole download, headers and body together, in milliseconds. */
  timeoutMs: number;
  /** Maximum size of the file, in bytes. */
  maxBytes: number;
}

/** A body over `maxBytes`, by its Content-Length or by the bytes received. */
class TooLargeError extends Error {}

/** A redirect that is not followed: too many in a row, or to a URL that is not HTTP(S). */
class RedirectError extends Error {}

/** Maximum redirects followed for one download, the limit of the WHATWG Fetch standard. */
const MAX_REDIRECTS = 20;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

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

/**
 * Sends a GET request and resolves with the response head. An error of the request after the
 * head arrived also destroys the response, so it reaches the body's reader there.
 */
function sendGet(url: URL, signal: AbortSignal): Promise<IncomingMessage> {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, { method: "GET", signal, headers: { accept: "*/*" } });
    request.on("response", resolve);
    request.on("error", reject);
    request.end();
  });
}

/** Sends GET requests from `url` on, following redirects, and returns the final response. */
async function getFollowingRedirects(url: URL, signal: AbortSignal): Promise<IncomingMessage> {
  let current = url;
  for (let redirects = 0; ; redirects += 1) {
    const response = await sendGet(current, signal);
    const location = response.headers.location;
    if (!REDIRECT_STATUSES.has(response.statusCode ?? 0) || location === undefined) {
      return response;
    }
    response.resume();
    if (redirects === MAX_REDIRECTS) {
      throw new RedirectError(`more than ${MAX_REDIRECTS} redirects`);
    }
    const next = new URL(location, current);
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new RedirectError(`a redirect to a ${next.protocol} URL, which is not HTTP(S)`);
    }
    current = next;
  }
}

/** Downloads `url` into `options.dir` and returns the staged file, or the failure. */
export async function downloadExport(url: URL, options: DownloadOptions): Promise<DownloadResult> {
  const displayUrl = redactUrl(url);
  const partial = join(options.dir, `${stagedName(url, options.index)}.part`);
  const signal = AbortSignal.timeout(options.timeoutMs);
  const seconds = Math.round(options.timeoutMs / 1000);
  let bytes = 0;
  let expected: number | undefined;
  let complete = false;
  let bodyStarted = false;
  const hash = createHash("sha256");
  try {
    const response = await getFollowingRedirects(url, signal);
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) {
      response.destroy();
      return failure(
        displayUrl,
        "DOWNLOAD_HTTP_STATUS",
        `GET ${displayUrl} returned HTTP ${status}; check the URL in IMPORT_URLS and that the export is published`,
      );
    }
    const length = response.headers["content-length"];
    expected = length === undefined ? undefined : Number(length);
    if (expected !== undefined && expected > options.maxBytes) {
      response.destroy();
      throw new TooLargeError();
    }
    bodyStarted = true;
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
    await pipeline(response, counter, createWriteStream(partial), { signal });
    // False when the connection closed before the end of a chunked body.
    complete = response.complete;
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
    if (error instanceof RedirectError) {
      return failure(
        displayUrl,
        "DOWNLOAD_FAILED",
        `GET ${displayUrl} failed (${error.message}); check the URL in IMPORT_URLS`,
      );
    }
    // Node's HTTP client destroys a response cut short with ECONNRESET ("aborted").
    const code = (error as { code?: unknown }).code;
    if (bodyStarted && code === "ECONNRESET") return truncatedFailure(displayUrl, bytes, expected);
    const reason = typeof code === "string" ? code : (error as Error).message;
    return failure(
      displayUrl,
      "DOWNLOAD_FAILED",
      `GET ${displayUrl} failed (${reason}); check the network and the URL in IMPORT_URLS`,
    );
  }
  // Some servers send no Content-Length, so a chunked body cut short is caught here by
  // `complete`. A Content-Length that does not match the bytes received is caught here as well.
  if (!complete || (expected !== undefined && bytes !== expected)) {
    await rm(partial, { force: true });
    return truncatedFailure(displayUrl, bytes, expected);
  }
  const file = partial.replace(/\.part$/, await extensionOf(partial));
  await rm(file, { force: true });
  await rename(partial, file);
  return { ok: true, url: displayUrl, file, bytes, sha256: hash.digest("hex") };
}

function truncatedFailure(
  displayUrl: string,
  bytes: number,
  expected: number | undefined,
): DownloadResult {
  const ofExpected = expected === undefined ? "" : ` of ${expected}`;
  return failure(
    displayUrl,
    "DOWNLOAD_TRUNCATED",
    `GET ${displayUrl} ended after ${bytes}${ofExpected} bytes because the connection closed early; the next run downloads it again`,
  );
}
