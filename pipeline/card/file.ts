/**
 * The file format of a card: Markdown with YAML front matter, the summary as the body.
 *
 * Serialisation is deterministic (schema key order, no undefined keys, no line folding), so the
 * same card always gives the same bytes and a repeated import changes no file.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { renameSync, rmSync } from "node:fs";
import { type FileHandle, mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { isDeepStrictEqual, promisify } from "node:util";
import matter from "gray-matter";
import yaml from "js-yaml";
import { type Card, type CardInput, cardSchema } from "./schema.ts";

const matterOptions = { engines: { yaml: { parse: (text: string) => yaml.load(text) as object } } };

/** Error raised when a card file or card value is invalid; `path` names the file when known. */
export class CardFormatError extends Error {
  readonly path: string | undefined;
  readonly issues: { path: string; message: string }[];

  constructor(
    message: string,
    options: { path?: string; issues?: CardFormatError["issues"]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "CardFormatError";
    this.path = options.path;
    this.issues = options.issues ?? [];
  }
}

/** Validates a card value, applying defaults; throws `CardFormatError` with one issue per field. */
export function parseCard(value: unknown, path?: string): Card {
  const parsed = cardSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.join("."),
    message: issue.message,
  }));
  const where = path ? ` in ${path}` : "";
  const summary = issues.map((issue) => `${issue.path || "(card)"}: ${issue.message}`).join("; ");
  throw new CardFormatError(`invalid project card${where}: ${summary}`, { path, issues });
}

/** Deletes undefined members so the YAML dump and deep comparisons see only real values. */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) out[key] = withoutUndefined(member);
    }
    return out;
  }
  return value;
}

/** Dumps front matter as YAML: schema key order, no line folding, no anchors. */
function dumpYaml(data: object): string {
  return yaml.dump(data, { lineWidth: -1, noRefs: true, sortKeys: false });
}

/**
 * Dumps `data` as the front matter block of a card, `---` lines included, and checks the dump:
 * it must read back to the same value, and hold no line starting with `---`, where gray-matter
 * would end the front matter. So a hostile value can never change the file's structure. The
 * body after the closing line is raw text that a reader takes as it is, so it needs no check.
 * `dump` is replaceable only so that tests can prove the check catches a faulty dump.
 */
export function frontMatterBlock(
  data: object,
  id: string,
  dump: (data: object) => string = dumpYaml,
): string {
  const yamlText = dump(data).trim();
  let readBack: unknown;
  try {
    readBack = yaml.load(yamlText);
  } catch (error) {
    readBack = error;
  }
  if (/(^|\n)---/.test(yamlText) || !isDeepStrictEqual(readBack, data)) {
    throw new CardFormatError(
      `project card ${id} does not survive a write and read unchanged; report the card to the platform team`,
    );
  }
  return `---\n${yamlText}\n---\n`;
}

/**
 * Serialises a card to its Markdown text, byte for byte what `gray-matter` gives for the same
 * card, so files written before stay unchanged. The card is validated once; the front matter is
 * checked by `frontMatterBlock`, except when the text equals `current`, the bytes of the file
 * it would replace.
 */
export function serializeCard(input: CardInput, options: { current?: string } = {}): string {
  const card = parseCard(input);
  const { summary, ...rest } = card;
  const frontMatter = withoutUndefined(rest) as object;
  const body = summary.trim() === "" ? "\n" : `${summary.trimEnd()}\n`;
  // Text equal to the file's current bytes needs no check: writing nothing changes nothing.
  if (options.current !== undefined) {
    const text = `---\n${dumpYaml(frontMatter).trim()}\n---\n${body}`;
    if (text === options.current) return text;
  }
  return `${frontMatterBlock(frontMatter, card.id)}${body}`;
}

/** Parses the Markdown text of a card file. */
export function parseCardText(text: string, path?: string): Card {
  let file: matter.GrayMatterFile<string>;
  try {
    file = matter(text, matterOptions);
  } catch (error) {
    const where = path ?? "card text";
    throw new CardFormatError(`invalid front matter in ${where}: ${(error as Error).message}`, {
      path,
      cause: error,
    });
  }
  return parseCard({ ...file.data, summary: file.content.trimEnd() }, path);
}

/** Reads and validates one card file. */
export async function readCardFile(path: string): Promise<Card> {
  return parseCardText(await readFile(path, "utf8"), path);
}

const runFile = promisify(execFile);

/**
 * Folders known to exist, so that a write costs no `mkdir`. A folder removed later is found by
 * the ENOENT of the next write to it, which then creates it again.
 */
const knownFolders = new Set<string>();

function temporaryPath(path: string): string {
  return `${path}.${randomBytes(6).toString("hex")}.tmp`;
}

/** Opens a new temporary file beside `path`, creating the folder when it is missing. */
async function openTemporary(path: string): Promise<{ temporary: string; handle: FileHandle }> {
  const folder = dirname(path);
  if (!knownFolders.has(folder)) {
    await mkdir(folder, { recursive: true });
    knownFolders.add(folder);
  }
  const temporary = temporaryPath(path);
  try {
    return { temporary, handle: await open(temporary, "w") };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    knownFolders.delete(folder);
    await mkdir(folder, { recursive: true });
    knownFolders.add(folder);
    return { temporary, handle: await open(temporary, "w") };
  }
}

/** Writes `text` to a new temporary file beside `path`; flushed to disk when `sync` is true. */
async function writeTemporary(
  path: string,
  text: string | Uint8Array,
  sync: boolean,
): Promise<string> {
  const { temporary, handle } = await openTemporary(path);
  try {
    await handle.writeFile(text);
    if (sync) await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  return temporary;
}

async function renameOrRemove(temporary: string, path: string): Promise<void> {
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Writes `text` to `path` atomically: a temporary file in the same folder, flushed, then renamed,
 * so a reader or a crash sees either the old file or the new one, never a part.
 */
export async function writeFileAtomic(path: string, text: string | Uint8Array): Promise<void> {
  const temporary = await writeTemporary(path, text, true);
  await renameOrRemove(temporary, path);
}

/** Writes `text` to a new temporary file beside `path` without flushing it. */
async function stageTemporary(path: string, text: string | Uint8Array): Promise<string> {
  const folder = dirname(path);
  if (!knownFolders.has(folder)) {
    await mkdir(folder, { recursive: true });
    knownFolders.add(folder);
  }
  const temporary = temporaryPath(path);
  try {
    await writeFile(temporary, text);
  } catch (error) {
    await rm(temporary, { force: true });
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    knownFolders.delete(folder);
    await mkdir(folder, { recursive: true });
    knownFolders.add(folder);
    await writeFile(temporary, text);
  }
  return temporary;
}

/** Flushes a file or folder to disk by its path. */
async function syncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Runs `task` over `items` with at most `limit` at once; returns the failures by position. */
async function eachBounded<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<(unknown | undefined)[]> {
  const failures: (unknown | undefined)[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        await task(items[index] as T);
      } catch (error) {
        failures[index] = error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return failures;
}

interface StagedWrite {
  path: string;
  temporary: string;
  text: string | Uint8Array;
  settle: (error?: unknown) => void;
}

/** Runs syncfs(2) on the file systems of `folders`, through coreutils `sync --file-system`. */
async function syncFileSystems(folders: string[]): Promise<void> {
  await runFile("sync", ["--file-system", ...folders]);
}

/**
 * Flush method of a batch before it renames its staged files. `syncfs` flushes each file system
 * of the batch's folders once (Linux), and `fsync` flushes each file and folder on its own.
 */
export type BatchSync = "syncfs" | "fsync";

/**
 * Atomic writes of many files, flushed to disk a batch at a time, for bulk jobs such as the
 * import.
 *
 * Each `write` puts the text in a temporary file beside its target without waiting for the
 * disk. When `size` files are staged, or on `flush`, the batch puts the staged files on disk
 * (see `BatchSync`), then renames each over its target in the order of the `write` calls. A
 * temporary file is renamed only once its content is on disk, so after a crash each target
 * holds its old content or its new one, never a part of either. The renames are on disk when
 * the next batch is flushed, and `flush` ends with them on disk. A crash can lose the batches
 * not yet renamed (the old files stay, and a repeated import writes them again) and leave
 * stray `.tmp` files.
 *
 * Until its batch is renamed, `staged` gives the text of a path, so that a later write to the
 * same path can read what the file is about to hold. Memory and open files stay bounded:
 * `write` waits while two batches are staged.
 */
export class AtomicWriteBatch {
  readonly #size: number;
  readonly #parallel: number;
  #sync: BatchSync;
  #staged: StagedWrite[] = [];
  readonly #texts = new Map<string, string | Uint8Array>();
  #flushing: Promise<void> = Promise.resolve();
  #inFlush = 0;

  constructor(options: { size?: number; parallel?: number; sync?: BatchSync } = {}) {
    this.#size = options.size ?? 512;
    this.#parallel = options.parallel ?? 16;
    this.#sync = options.sync ?? (process.platform === "linux" ? "syncfs" : "fsync");
  }

  /** The text staged for `path` and not yet renamed into place, if any. */
  staged(path: string): string | Uint8Array | undefined {
    return this.#texts.get(path);
  }

  /**
   * Stages `text` for `path`. The first promise settles once the text is staged (or failed to
   * be), the second once the file is in place or the write failed, the file left as it was.
   */
  async write(path: string, text: string | Uint8Array): Promise<{ done: Promise<void> }> {
    while (this.#inFlush + this.#staged.length >= 2 * this.#size) await this.#flushing;
    const temporary = await stageTemporary(path, text);
    let settle: StagedWrite["settle"] = () => {};
    const done = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    this.#staged.push({ path, temporary, text, settle });
    this.#texts.set(path, text);
    if (this.#staged.length >= this.#size) void this.#enqueue(false);
    return { done };
  }

  /**
   * Puts every staged file in place, with the renames on disk. Resolves when done, and each
   * write's `done` carries its own failure.
   */
  flush(): Promise<void> {
    return this.#enqueue(true);
  }

  #enqueue(final: boolean): Promise<void> {
    const batch = this.#staged;
    this.#staged = [];
    this.#inFlush += batch.length;
    this.#flushing = this.#flushing.then(() => this.#commit(batch, final));
    return this.#flushing;
  }

  /** Puts the batch's temporary files on disk; returns the failure of each, by position. */
  async #syncFiles(batch: StagedWrite[]): Promise<(unknown | undefined)[]> {
    if (this.#sync === "syncfs") {
      try {
        await syncFileSystems([...new Set(batch.map((item) => dirname(item.path)))]);
        return new Array(batch.length);
      } catch {
        // No coreutils `sync` that takes --file-system here: flush file by file from now on.
        this.#sync = "fsync";
      }
    }
    return eachBounded(batch, this.#parallel, (item) => syncPath(item.temporary));
  }

  /** Puts folders on disk, so the renames into them are; returns the failure of each folder. */
  async #syncFolders(folders: string[]): Promise<Map<string, unknown>> {
    let failures: (unknown | undefined)[];
    if (this.#sync === "syncfs") {
      try {
        await syncFileSystems(folders);
        failures = new Array(folders.length);
      } catch (error) {
        failures = folders.map(() => error);
      }
    } else {
      failures = await eachBounded(folders, this.#parallel, syncPath);
    }
    return new Map(folders.map((folder, index) => [folder, failures[index]]));
  }

  async #commit(batch: StagedWrite[], final: boolean): Promise<void> {
    if (batch.length === 0) return;
    const synced = await this.#syncFiles(batch);
    const failures: (unknown | undefined)[] = [];
    const folders = new Set<string>();
    for (const [index, item] of batch.entries()) {
      let failure = synced[index];
      if (failure === undefined) {
        try {
          renameSync(item.temporary, item.path);
          folders.add(dirname(item.path));
        } catch (error) {
          failure = error;
        }
      }
      if (failure !== undefined) rmSync(item.temporary, { force: true });
      failures.push(failure);
    }
    // With syncfs, the next batch's flush puts these renames on disk too.
    const failedFolders =
      final || this.#sync === "fsync" ? await this.#syncFolders([...folders]) : new Map();
    for (const [index, item] of batch.entries()) {
      if (this.#texts.get(item.path) === item.text) this.#texts.delete(item.path);
      item.settle(failures[index] ?? failedFolders.get(dirname(item.path)));
    }
    this.#inFlush -= batch.length;
  }
}

/** Writes a card to `path` atomically. Returns the text written. */
export async function writeCardFile(path: string, card: CardInput): Promise<string> {
  const text = serializeCard(card);
  await writeFileAtomic(path, text);
  return text;
}
