/**
 * Content-addressed store for attachments. An upload streams to a temporary file in the store's
 * folder while it is hashed and counted. It stops as soon as it passes the size limit, its type
 * is then detected from the content, and the file is kept as `<root>/<aa>/<sha256>` with a JSON
 * sidecar `<sha256>.json`. The same content uploaded twice is stored once. A stored file is
 * private until `markPublished` writes the empty marker `<sha256>.published` beside it: the site
 * server serves only marked files, so a draft's attachment stays off the public site.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import { createFileStorage } from "../storage/file-storage.ts";
import { type ObjectStorage, readObject } from "../storage/storage.ts";
import { detectFileType } from "./detect.ts";
import { sanitizeFileName } from "./filename.ts";
import { DEFAULT_IDLE_TIMEOUT_MS, idleReader } from "./idle-reader.ts";
import { TextScanner } from "./text.ts";
import { extensionOf, type FileKind } from "./types.ts";

/** Default upload limit: 100 MiB. */
export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;
const HEAD_BYTES = 8192;
/** Suffix of the marker file that makes a stored file public; `scripts/site-server.ts` checks it. */
export const PUBLISHED_MARKER_SUFFIX = ".published";

/**
 * Host and process that write an upload's temporary file, as `<host>.<pid>` in its name, so that
 * the next process on the same host removes the leftovers of a killed one at once. The host name
 * is reduced to letters, digits and hyphens.
 */
const OWNER_HOST =
  hostname()
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 63) || "host";
const OWNER_TAG = `${OWNER_HOST}.${process.pid}`;
/** Name of an upload's temporary file; names without the owner come from older versions. */
const UPLOAD_PART = /^\.upload-(?:([a-z0-9-]+)\.(\d+)-)?[0-9a-f]+\.part$/;

/**
 * Tells whether a process with this id runs on this host (signal 0 checks without sending).
 * NOTE: a leftover that carries this process's own id (a reused id, such as PID 1 in a
 * container) counts as running, so it waits for the age rule.
 */
function processRuns(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export type UploadSource =
  | ReadableStream<Uint8Array>
  | NodeJS.ReadableStream
  | AsyncIterable<Uint8Array | string>;

/** A stored file as a card's attachment refers to it. */
export interface StoredFile {
  sha256: string;
  /** Sanitised display name. */
  fileName: string;
  mediaType: string;
  size: number;
  kind: FileKind;
}

export type UploadErrorCode =
  | "FILE_TOO_LARGE"
  | "FILE_TYPE_NOT_ALLOWED"
  | "UPLOAD_INTERRUPTED"
  | "UPLOAD_TIMEOUT";

export type UploadResult =
  | { ok: true; file: StoredFile; deduplicated: boolean }
  | { ok: false; code: UploadErrorCode; message: string; details: Record<string, unknown> };

export interface UploadStoreOptions {
  /** Attachments folder; temporary files go there too so the final rename stays on one disk. */
  root: string;
  /** Size limit in bytes; default 100 MiB. */
  maxBytes?: number;
  /** Time an upload may go without sending data before it is aborted; default 30 seconds. */
  idleTimeoutMs?: number;
  logger: Logger;
  /**
   * Store of the files, sidecars and markers: the folder `root` by default. Uploads still stream
   * to a temporary file in `root`, because type detection reads it before it is stored.
   */
  storage?: ObjectStorage;
}

export interface PutOptions {
  /** Kinds accepted for this upload; every accepted type when omitted. */
  kinds?: readonly FileKind[];
}

/** The sidecar kept beside each stored file. */
export interface Sidecar {
  sha256: string;
  mediaType: string;
  size: number;
  kind: FileKind;
}

export type UploadStore = ReturnType<typeof createUploadStore>;

/** Creates an upload store over the folder `options.root`. */
export function createUploadStore(options: UploadStoreOptions) {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const { root, logger } = options;
  const storage = options.storage ?? createFileStorage({ root });

  /** Storage key of the stored file with the given hash: `<aa>/<sha256>`, as `pathOf`. */
  function keyOf(sha256: string): string {
    return `${sha256.slice(0, 2)}/${sha256}`;
  }

  /** Path of the stored file with the given hash. */
  function pathOf(sha256: string): string {
    return join(root, sha256.slice(0, 2), sha256);
  }

  /** Reads the sidecar of a stored file, or undefined when no such file is stored. */
  async function info(sha256: string): Promise<Sidecar | undefined> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return undefined;
    const bytes = await readObject(storage, `${keyOf(sha256)}.json`);
    return bytes === undefined ? undefined : (JSON.parse(bytes.toString("utf8")) as Sidecar);
  }

  /** Streams one upload into the store; every rejection is returned as data. */
  async function put(
    source: UploadSource,
    declaredName: string,
    putOptions: PutOptions = {},
  ): Promise<UploadResult> {
    const fileName = sanitizeFileName(declaredName);
    await mkdir(root, { recursive: true });
    const temporary = join(root, `.upload-${OWNER_TAG}-${randomBytes(8).toString("hex")}.part`);
    try {
      return await receiveAndStore(source, temporary, fileName, putOptions);
    } finally {
      // The temporary file is gone after a successful rename; on every other path remove it.
      await rm(temporary, { force: true });
    }
  }

  async function receiveAndStore(
    source: UploadSource,
    temporary: string,
    fileName: string,
    putOptions: PutOptions,
  ): Promise<UploadResult> {
    // File names can contain personal names, so logs carry only the extension.
    const extension = extensionOf(fileName);
    const received = await receive(source, temporary, maxBytes, idleTimeoutMs);
    if (!received.ok) {
      if (received.reason === "timed-out") {
        logger.warn(
          { extension, idleTimeoutMs, bytesRead: received.bytesRead },
          "upload timed out",
        );
        return uploadTimeout(fileName, idleTimeoutMs, received.bytesRead);
      }
      if (received.reason === "too-large") {
        logger.warn({ extension, maxBytes, bytesRead: received.bytesRead }, "upload over limit");
        return {
          ok: false,
          code: "FILE_TOO_LARGE",
          message: `the file ${fileName} is larger than the limit of ${maxBytes} bytes; upload a smaller file`,
          details: { maxBytes, bytesRead: received.bytesRead },
        };
      }
      logger.warn({ extension, err: received.error }, "upload interrupted");
      return {
        ok: false,
        code: "UPLOAD_INTERRUPTED",
        message: `the upload of ${fileName} failed before it ended: ${received.error.message}; try again`,
        details: { bytesRead: received.bytesRead },
      };
    }

    const detection = await detectFileType({
      head: received.head,
      path: temporary,
      text: received.text,
      declaredExtension: extension,
    });
    if (!detection.ok || (putOptions.kinds && !putOptions.kinds.includes(detection.type.kind))) {
      const result = detection.ok
        ? kindRejected(detection.type.kind, putOptions.kinds ?? [], extension)
        : detection;
      logger.info({ details: result.details }, "upload type rejected");
      return result;
    }

    const { sha256, size } = received;
    const key = keyOf(sha256);
    const deduplicated = (await storage.stat(key)) !== undefined;
    if (!deduplicated) {
      if (storage.putFile) await storage.putFile(key, temporary);
      else await storage.put(key, createReadStream(temporary));
    }
    const type = detection.type;
    const sidecar: Sidecar = { sha256, mediaType: type.mediaType, size, kind: type.kind };
    if (!deduplicated || !(await storage.stat(`${key}.json`))) {
      await storage.put(`${key}.json`, `${JSON.stringify(sidecar, null, 2)}\n`);
    }
    logger.info({ sha256, size, kind: type.kind, deduplicated }, "upload stored");
    return { ok: true, file: { ...sidecar, fileName }, deduplicated };
  }

  /**
   * Deletes temporary files that a crash left behind (`.upload-*.part` in the root, and the
   * `*.tmp` of sidecar and marker writes in the hash folders), and returns how many. Only files
   * unchanged for `olderThanMs` go: a running upload writes at least once per idle timeout, so a
   * value above it spares uploads in progress, even those of another process. 0 removes all.
   * Uploads of a process of this host that no longer runs go whatever their age.
   */
  async function removeStaleUploads(olderThanMs = 0): Promise<number> {
    let names: string[];
    try {
      names = await readdir(root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
      throw error;
    }
    const deadOwnerUploads = new Set<string>();
    const candidates: string[] = [];
    for (const name of names) {
      const match = UPLOAD_PART.exec(name);
      if (!match) continue;
      candidates.push(join(root, name));
      const [, host, pid] = match;
      if (host === OWNER_HOST && pid !== undefined && !processRuns(Number(pid))) {
        deadOwnerUploads.add(join(root, name));
      }
    }
    for (const folder of names.filter((name) => /^[0-9a-f]{2}$/.test(name))) {
      const inner = await readdir(join(root, folder)).catch(() => [] as string[]);
      for (const name of inner) {
        if (/^[0-9a-f]{64}\.[a-z]+\.[0-9a-f]+\.tmp$/.test(name)) {
          candidates.push(join(root, folder, name));
        }
      }
    }
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const path of candidates) {
      const modified = await stat(path).then(
        (stats) => stats.mtimeMs,
        () => undefined,
      );
      if (modified === undefined) continue;
      if (olderThanMs > 0 && modified > cutoff && !deadOwnerUploads.has(path)) continue;
      await rm(path, { force: true });
      removed += 1;
    }
    if (removed > 0) logger.info({ count: removed, root }, "stale uploads removed");
    return removed;
  }

  // Every store clears the leftovers of a killed process as soon as it is created. Files touched
  // within two idle timeouts may belong to a running upload and stay.
  const cleaned: Promise<number> = removeStaleUploads(2 * idleTimeoutMs).catch((error) => {
    logger.error({ err: error, root }, "stale upload cleanup failed");
    return 0;
  });

  /**
   * Makes a stored file public by writing its marker. Returns false, and writes nothing, when no
   * file with that hash is stored.
   */
  async function markPublished(sha256: string): Promise<boolean> {
    if (!(await info(sha256))) return false;
    const marker = `${keyOf(sha256)}${PUBLISHED_MARKER_SUFFIX}`;
    if (!(await storage.stat(marker))) {
      await storage.put(marker, "");
      logger.info({ sha256 }, "attachment published");
    }
    return true;
  }

  /** Returns true once `markPublished` made the stored file public. */
  async function isPublished(sha256: string): Promise<boolean> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return false;
    return (await storage.stat(`${keyOf(sha256)}${PUBLISHED_MARKER_SUFFIX}`)) !== undefined;
  }

  return {
    root,
    maxBytes,
    idleTimeoutMs,
    logger,
    put,
    pathOf,
    info,
    removeStaleUploads,
    /** Resolves with the count of leftovers removed when the store was created. */
    cleaned,
    markPublished,
    isPublished,
  };
}

type Received =
  | {
      ok: true;
      sha256: string;
      size: number;
      head: Uint8Array;
      text: ReturnType<TextScanner["finish"]>;
    }
  | { ok: false; reason: "too-large"; bytesRead: number }
  | { ok: false; reason: "timed-out"; bytesRead: number }
  | { ok: false; reason: "interrupted"; bytesRead: number; error: Error };

/**
 * Copies the source to `temporary`, hashing and counting. Stops past `maxBytes`, and when no data
 * arrives for `idleMs`.
 */
async function receive(
  source: UploadSource,
  temporary: string,
  maxBytes: number,
  idleMs: number,
): Promise<Received> {
  const hash = createHash("sha256");
  const scanner = new TextScanner();
  const headChunks: Uint8Array[] = [];
  let headLength = 0;
  let bytesRead = 0;
  const reader = idleReader(source, idleMs);
  const handle = await open(temporary, "wx");
  // True while the store writes its own file: a failure then (a full disk) is the server's, so
  // it is thrown instead of being reported as an interrupted upload.
  let writing = false;
  try {
    for (;;) {
      const read = await reader.next();
      // A stalled body is left unread: the 408 response closes the connection.
      if ("timedOut" in read) return { ok: false, reason: "timed-out", bytesRead };
      if (read.done) break;
      const chunk = read.chunk;
      bytesRead += chunk.byteLength;
      if (bytesRead > maxBytes) {
        reader.stop();
        return { ok: false, reason: "too-large", bytesRead };
      }
      hash.update(chunk);
      scanner.push(chunk);
      if (headLength < HEAD_BYTES) {
        headChunks.push(chunk.subarray(0, HEAD_BYTES - headLength));
        headLength += Math.min(chunk.byteLength, HEAD_BYTES - headLength);
      }
      writing = true;
      await handle.write(chunk);
      writing = false;
    }
    writing = true;
    await handle.sync();
  } catch (error) {
    if (writing) {
      reader.stop();
      throw error;
    }
    return { ok: false, reason: "interrupted", bytesRead, error: error as Error };
  } finally {
    await handle.close();
  }
  return {
    ok: true,
    sha256: hash.digest("hex"),
    size: bytesRead,
    head: Buffer.concat(headChunks),
    text: scanner.finish(),
  };
}

/** The rejection of an upload that sent no data for `idleMs`. */
export function uploadTimeout(fileName: string, idleMs: number, bytesRead: number) {
  return {
    ok: false as const,
    code: "UPLOAD_TIMEOUT" as const,
    message: `the upload of ${fileName} sent no data for ${idleMs / 1000} s and was stopped after ${bytesRead} bytes; check the connection and upload the file again`,
    details: { idleTimeoutMs: idleMs, bytesRead },
  };
}

function kindRejected(kind: FileKind, kinds: readonly FileKind[], declared: string) {
  return {
    ok: false as const,
    code: "FILE_TYPE_NOT_ALLOWED" as const,
    message: `a ${kind} file is not accepted here; upload one of: ${kinds.join(", ")}`,
    details: { detected: kind, declared, accepted: kinds },
  };
}
