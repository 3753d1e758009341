/**
 * The manifest of a backup: every copied file with its size and SHA-256, so that a restore can
 * check the backup before it touches anything and check the restored files afterwards.
 */
import { createHash } from "node:crypto";
import type { Dirent } from "node:fs";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { OpsError } from "./database-dump.ts";

/** Version of the manifest layout. A restore rejects versions it does not know. */
export const MANIFEST_FORMAT = 1;
export const MANIFEST_FILE = "manifest.json";

export interface ManifestEntry {
  /** Path inside the backup folder, with `/` separators, such as `content/projects/x/y.md`. */
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: number;
  createdAt: string;
  database: { kind: "sqlite" | "postgresql"; entry: ManifestEntry };
  files: ManifestEntry[];
  counts: { cards: number; attachments: number };
}

/** Max files copied or hashed at once, so that disk waits overlap but file handles stay few. */
export const FILE_CONCURRENCY = 8;

/** Runs `task` on every item, `FILE_CONCURRENCY` at a time, and returns the results in order. */
export async function mapInParallel<T, R>(
  items: readonly T[],
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILE_CONCURRENCY, items.length) }, worker));
  return results;
}

/**
 * Returns whether a file is a temporary file that is never backed up: hidden files, atomic-write
 * temporaries (`*.tmp`) and uploads still being received (`*.part`).
 */
export function isTemporaryFile(name: string): boolean {
  return name.startsWith(".") || name.endsWith(".tmp") || name.endsWith(".part");
}

/** Lists the regular files under `folder`, temporaries left out, as paths relative to it. */
export async function listFiles(folder: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || isTemporaryFile(entry.name)) continue;
    const path = relative(folder, join(entry.parentPath, entry.name));
    // Files inside a hidden folder (an upload's temporary folder) are skipped as well.
    if (path.split(sep).some(isTemporaryFile)) continue;
    files.push(path);
  }
  return files.sort();
}

/** Copies `source` to `target`, creating its folder, and returns the size and SHA-256 copied. */
export async function copyWithHash(
  source: string,
  target: string,
): Promise<{ size: number; sha256: string }> {
  await mkdir(dirname(target), { recursive: true });
  const hash = createHash("sha256");
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  await pipeline(createReadStream(source), meter, createWriteStream(target, { flags: "wx" }));
  return { size, sha256: hash.digest("hex") };
}

/** Returns the size and SHA-256 of a file. */
export async function hashFile(path: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest("hex") };
}

/** Reads and checks the manifest of the backup in `folder`. */
export async function readManifest(folder: string): Promise<Manifest> {
  const path = join(folder, MANIFEST_FILE);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path, "utf8")) as Manifest;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new OpsError(
      "BACKUP_CORRUPT",
      `${path} is not valid JSON (${error.message}); nothing was restored, so restore another backup`,
    );
  }
  if (manifest?.format !== MANIFEST_FORMAT) {
    throw new OpsError(
      "BACKUP_FORMAT_UNSUPPORTED",
      `backup manifest format ${manifest?.format} is not supported (expected ${MANIFEST_FORMAT}); restore it with the version of this tool that wrote it`,
    );
  }
  return manifest;
}

/**
 * Compares the files under `root` with the manifest entries and returns one line per file that
 * is missing or whose size or SHA-256 differs. An empty list means every file matches.
 */
export async function findMismatches(root: string, entries: ManifestEntry[]): Promise<string[]> {
  const outcomes = await mapInParallel(entries, async (entry) => {
    let actual: { size: number; sha256: string };
    try {
      actual = await hashFile(join(root, ...entry.path.split("/")));
    } catch (error) {
      return `${entry.path}: missing (${(error as NodeJS.ErrnoException).code})`;
    }
    if (actual.sha256 !== entry.sha256 || actual.size !== entry.size) {
      return `${entry.path}: SHA-256 or size differs from the manifest`;
    }
    return undefined;
  });
  return outcomes.filter((problem) => problem !== undefined);
}
