/**
 * Writes an imported card, merging it into the card file that may already exist.
 *
 * The import owns the contractual fields and the summary. The editorial part of an existing card
 * is kept exactly. A file is written (atomically) only when its data or its serialised text would
 * change, so importing the same export twice changes no file.
 */
import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename, dirname } from "node:path";
import {
  type AtomicWriteBatch,
  type CardInput,
  cardPath,
  parseCard,
  parseCardText,
  serializeCard,
  writeFileAtomic,
} from "../card/index.ts";
import type { ImportedCard } from "./map.ts";

export type WriteOutcome = "created" | "updated" | "unchanged";

/** A card that could not be written, with a stable code; the file on disk is left as it was. */
export class CardWriteError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CardWriteError";
    this.code = code;
  }
}

/**
 * The card files present in each programme folder, listed once per run so that a new card costs
 * no failed read. Cards created by another process during the run are not seen, and such a card
 * would be replaced by the imported one.
 */
export class CardFolderIndex {
  readonly #folders = new Map<string, Promise<Set<string>>>();

  /** Returns false only when the folder listing shows that `path` does not exist. */
  async mayExist(path: string): Promise<boolean> {
    const folder = dirname(path);
    let names = this.#folders.get(folder);
    if (names === undefined) {
      names = readdir(folder).then(
        (entries) => new Set(entries),
        () => new Set<string>(),
      );
      this.#folders.set(folder, names);
    }
    return (await names).has(basename(path));
  }

  async add(path: string): Promise<void> {
    const names = await this.#folders.get(dirname(path));
    names?.add(basename(path));
  }
}

/**
 * Reads an existing card with one blocking call: a card of a few kB in the page cache reads in
 * about 20 microseconds, several times less than the four thread-pool round trips of `readFile`.
 */
function readExisting(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CardWriteError(
      "CARD_READ_FAILED",
      `cannot read ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** What happened to a card file; `done` settles once a batched write is in place or failed. */
export interface WriteResult {
  outcome: WriteOutcome;
  path: string;
  done?: Promise<void>;
}

/**
 * Merges `card` into its file under `contentDir` and returns what happened to the file. With a
 * `batch`, the file is staged there and put in place when the batch flushes (see `done`).
 */
export async function writeImportedCard(
  contentDir: string,
  card: ImportedCard,
  index?: CardFolderIndex,
  batch?: AtomicWriteBatch,
): Promise<WriteResult> {
  const path = cardPath(contentDir, card.programme, card.id);
  const staged = batch?.staged(path);
  const existingText =
    typeof staged === "string"
      ? staged
      : index === undefined || (await index.mayExist(path))
        ? readExisting(path)
        : undefined;

  let text: string;
  if (existingText === undefined) {
    text = serializeCard(card);
  } else {
    // Fast path: a card without editorial content is unchanged when the row gives the same
    // bytes. Only otherwise is the existing card parsed, to keep its editorial part.
    text = serializeCard(card, { current: existingText });
    if (text === existingText) return { outcome: "unchanged", path };
    let existing: ReturnType<typeof parseCardText>;
    try {
      existing = parseCardText(existingText, path);
    } catch (error) {
      throw new CardWriteError(
        "EXISTING_CARD_INVALID",
        `the existing card ${path} is invalid (${(error as Error).message}); fix or remove it and import again`,
        { cause: error },
      );
    }
    if (existing.id !== card.id) {
      throw new CardWriteError(
        "FILE_NAME_CLASH",
        `identifier ${card.id} maps to ${path}, which already holds project ${existing.id}`,
      );
    }
    const merged: CardInput = { ...card, editorial: existing.editorial };
    // Same data as on disk: nothing to import. A card whose formatting was changed by hand is
    // also left as it is.
    if (JSON.stringify(parseCard(merged, path)) === JSON.stringify(existing)) {
      return { outcome: "unchanged", path };
    }
    text = serializeCard(merged, { current: existingText });
    if (text === existingText) return { outcome: "unchanged", path };
  }

  const outcome = existingText === undefined ? "created" : "updated";
  try {
    if (batch === undefined) {
      await writeFileAtomic(path, text);
      await index?.add(path);
      return { outcome, path };
    }
    const { done } = await batch.write(path, text);
    await index?.add(path);
    const failed = (error: unknown) =>
      new CardWriteError("WRITE_FAILED", `cannot write ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    return { outcome, path, done: done.catch((error) => Promise.reject(failed(error))) };
  } catch (error) {
    throw new CardWriteError("WRITE_FAILED", `cannot write ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
