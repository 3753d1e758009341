/**
 * Writes sample cards into a content folder, several files at a time, and across worker threads
 * for large samples because serialising a card costs more than writing it.
 *
 * By default each file is written to a temporary name and renamed, without the flush to disk
 * that `writeCardFile` does: sample data can be generated again from its seed, and 100,000
 * flushes take most of a minute on a virtual disk. `durable: true` writes with `writeCardFile`.
 * Both give the same bytes, those of `serializeCard`.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { Worker } from "node:worker_threads";
import { cardPath, serializeCard, writeCardFile } from "../card/index.ts";
import { generateCard } from "./generate.ts";

export type WriteSampleOptions = {
  /** Worker threads; defaults to the number of available CPUs for 5,000 cards or more, else 0. */
  workers?: number;
  /** Files written at the same time by each thread. */
  concurrency?: number;
  /** Flushes every file to disk before renaming it into place (`writeCardFile`). */
  durable?: boolean;
};

export type WorkerTask = {
  contentDir: string;
  seed: string;
  count: number;
  /** This thread writes cards `offset`, `offset + stride`, `offset + 2 * stride`, ... */
  offset: number;
  stride: number;
  concurrency: number;
  durable: boolean;
};

const DEFAULT_CONCURRENCY = 32;
const WORKER_THRESHOLD = 5000;

/** Folders already created by this thread, so each is created once. */
const createdFolders = new Set<string>();

/** Writes `text` under a temporary name and renames it to `path`, with no flush to disk. */
async function writeReplacing(path: string, text: string): Promise<void> {
  const folder = dirname(path);
  if (!createdFolders.has(folder)) {
    await mkdir(folder, { recursive: true });
    createdFolders.add(folder);
  }
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

/** Writes the cards of one task, at most `concurrency` files at a time. Returns the count. */
export async function writeCardRange(task: WorkerTask): Promise<number> {
  const pending = new Set<Promise<unknown>>();
  let written = 0;
  for (let index = task.offset; index < task.count; index += task.stride) {
    const card = generateCard(task.seed, index);
    const path = cardPath(task.contentDir, card.programme, card.id);
    const done = task.durable
      ? writeCardFile(path, card)
      : writeReplacing(path, serializeCard(card));
    const write = done.then(() => {
      written++;
      pending.delete(write);
    });
    pending.add(write);
    if (pending.size >= task.concurrency) await Promise.race(pending);
  }
  await Promise.all(pending);
  return written;
}

function runWorker(task: WorkerTask): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./write-worker.ts", import.meta.url), { workerData: task });
    let result: number | undefined;
    worker.once("message", (count: number) => {
      result = count;
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`sample writer thread ${task.offset} stopped with exit code ${code}`));
    });
  });
}

/**
 * Writes `count` sample cards for `seed` under `contentDir/projects`. Cards already there with
 * other identifiers stay. Returns the number of cards written.
 */
export async function writeSampleCards(
  contentDir: string,
  count: number,
  seed: string | number = "sample",
  options: WriteSampleOptions = {},
): Promise<number> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const workers =
    options.workers ?? (count >= WORKER_THRESHOLD ? Math.max(1, availableParallelism()) : 0);
  const base = {
    contentDir,
    seed: String(seed),
    count,
    concurrency,
    durable: options.durable ?? false,
  };
  if (workers === 0) return writeCardRange({ ...base, offset: 0, stride: 1 });

  const tasks = Array.from({ length: workers }, (_, offset) =>
    runWorker({ ...base, offset, stride: workers }),
  );
  const counts = await Promise.all(tasks);
  return counts.reduce((sum, value) => sum + value, 0);
}
