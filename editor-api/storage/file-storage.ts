/**
 * Object storage in a folder, such as a network file system that every instance mounts. A key
 * is a path below the folder. Each write goes to a temporary file beside its target (`<name>.
 * <16 hex digits>.tmp`) and is renamed into place, so readers in any process see whole objects.
 */
import { randomBytes } from "node:crypto";
import { createReadStream, type Dirent } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import type { Readable } from "node:stream";
import { checkKey, type ObjectBody, type ObjectInfo, type ObjectStorage } from "./storage.ts";

/** Name ending of the temporary files of unfinished writes, which `list` leaves out. */
const TEMPORARY_FILE = /\.[0-9a-f]{16}\.tmp$/;

export interface FileStorageOptions {
  /** Folder of the objects, created on the first write. */
  root: string;
}

/** Creates an object storage over the folder `options.root`. */
export function createFileStorage(options: FileStorageOptions): ObjectStorage {
  const { root } = options;

  function pathOf(key: string): string {
    checkKey(key);
    return join(root, key);
  }

  async function infoOf(key: string, path: string): Promise<ObjectInfo | undefined> {
    try {
      const stats = await stat(path);
      if (!stats.isFile()) return undefined;
      return { key, size: stats.size, modifiedAt: stats.mtime };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async function put(key: string, body: ObjectBody): Promise<ObjectInfo> {
    const target = pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(8).toString("hex")}.tmp`;
    try {
      const handle = await open(temporary, "wx");
      try {
        const source = typeof body === "string" || body instanceof Uint8Array ? [body] : body;
        for await (const chunk of source) await handle.write(toBytes(chunk));
        // Flushed before the rename, so a crash never leaves a renamed file without its data.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, target);
    } finally {
      await rm(temporary, { force: true });
    }
    return (await infoOf(key, target)) as ObjectInfo;
  }

  async function putFile(key: string, path: string): Promise<ObjectInfo> {
    const target = pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(path, target);
    } catch (error) {
      // rename fails with EXDEV across disks, so the file is copied through `put` instead.
      if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
      await put(key, createReadStream(path));
      await rm(path, { force: true });
    }
    return (await infoOf(key, target)) as ObjectInfo;
  }

  async function get(key: string): Promise<Readable | undefined> {
    try {
      const handle = await open(pathOf(key), "r");
      return handle.createReadStream();
    } catch (error) {
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === "EISDIR") return undefined;
      throw error;
    }
  }

  async function remove(key: string): Promise<boolean> {
    const path = pathOf(key);
    if (!(await infoOf(key, path))) return false;
    await rm(path, { force: true });
    return true;
  }

  async function* list(prefix: string): AsyncIterable<ObjectInfo> {
    checkKey(prefix, { prefix: true });
    // Keys that start with the prefix lie below its folder part (up to the last "/"), so only
    // that folder is walked.
    const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    for await (const path of walk(join(root, folder))) {
      const key = relative(root, path).split(sep).join("/");
      if (!key.startsWith(prefix) || TEMPORARY_FILE.test(key)) continue;
      const info = await infoOf(key, path);
      if (info) yield info;
    }
  }

  return { put, putFile, get, stat: (key) => infoOf(key, pathOf(key)), delete: remove, list };
}

async function* walk(folder: string): AsyncIterable<string> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === "ENOTDIR") return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

function toBytes(chunk: unknown): Uint8Array {
  if (typeof chunk === "string") return Buffer.from(chunk);
  return chunk as Uint8Array;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === "ENOENT";
}
