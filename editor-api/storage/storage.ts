/**
 * Object storage for attachments: files addressed by a key such as `ab/<sha256>.json`, stored in
 * a folder that every instance mounts (`createFileStorage`) or, later, in an S3-compatible
 * bucket. An S3 implementation maps each method onto one request: `put` onto PutObject (a
 * multipart upload for large bodies), `get` onto GetObject, `stat` onto HeadObject, `delete`
 * onto DeleteObject and `list` onto ListObjectsV2 with `Prefix`, following continuation tokens.
 * Keys are valid S3 object keys as they are, so both stores use the same names.
 */
import type { Readable } from "node:stream";

/** Body of an object to store. A stream or async iterable keeps large attachments out of memory. */
export type ObjectBody = Readable | AsyncIterable<Uint8Array> | Uint8Array | string;

/** Size and modification time of a stored object. */
export interface ObjectInfo {
  key: string;
  /** Size in bytes. */
  size: number;
  modifiedAt: Date;
}

/** Store of objects by key. Every method is safe to call from several processes at once. */
export interface ObjectStorage {
  /**
   * Stores `body` under `key`, replacing any object there. Readers see the old object or the
   * whole new one, never a part, so a killed writer leaves the old object in place.
   */
  put(key: string, body: ObjectBody): Promise<ObjectInfo>;
  /**
   * Moves the local file at `path` into the store under `key`. Optional, because a store on the
   * same disk can rename the file instead of copying it. Callers fall back to `put` otherwise.
   */
  putFile?(key: string, path: string): Promise<ObjectInfo>;
  /** Opens the object for reading, or returns undefined when no object has that key. */
  get(key: string): Promise<Readable | undefined>;
  /** Returns the object's size and time, or undefined when no object has that key. */
  stat(key: string): Promise<ObjectInfo | undefined>;
  /** Deletes the object and returns whether there was one. */
  delete(key: string): Promise<boolean>;
  /** Lists the objects whose key starts with `prefix`, in no fixed order. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
}

/** Error for a key or prefix that the storage rejects, with a stable `code`. */
export class StorageKeyError extends Error {
  readonly code = "INVALID_STORAGE_KEY";
  readonly key: string;

  constructor(key: string, reason: string) {
    super(
      `Storage key ${JSON.stringify(key)} is invalid: ${reason}. Use segments of letters, digits, dots, dashes and underscores separated by "/".`,
    );
    this.name = "StorageKeyError";
    this.key = key;
  }
}

const SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Checks that `key` is a relative path of safe segments, so that no key escapes the storage
 * folder and every key is a valid S3 object key. A prefix may be empty or end with "/".
 */
export function checkKey(key: string, options: { prefix?: boolean } = {}): void {
  if (options.prefix && key === "") return;
  if (key.length > 1024) throw new StorageKeyError(key, "it is longer than 1024 characters");
  const segments = key.split("/");
  if (options.prefix && segments.at(-1) === "") segments.pop();
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") {
      throw new StorageKeyError(key, "it has an empty, '.' or '..' segment");
    }
    if (!SEGMENT.test(segment)) {
      throw new StorageKeyError(
        key,
        `the segment ${JSON.stringify(segment)} contains other characters`,
      );
    }
  }
}

/** Reads a whole object into memory, for small objects such as sidecars and markers. */
export async function readObject(storage: ObjectStorage, key: string): Promise<Buffer | undefined> {
  const stream = await storage.get(key);
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
