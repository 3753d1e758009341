/**
 * Writes an imported card, merging it into the card file that may already exist.
 *
 * The import owns the contractual fields and the summary; the editorial part of an existing card
 * is kept exactly. A file is written (atomically) only when its data or its serialised text would
 * change, so importing the same export twice changes no file.
 */
import { readFile } from "node:fs/promises";
import {
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

async function readExisting(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
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

/** Merges `card` into its file under `contentDir` and returns what happened to the file. */
export async function writeImportedCard(
  contentDir: string,
  card: ImportedCard,
): Promise<{ outcome: WriteOutcome; path: string }> {
  const path = cardPath(contentDir, card.programme, card.id);
  const existingText = await readExisting(path);

  let merged: CardInput = card;
  if (existingText !== undefined) {
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
    merged = { ...card, editorial: existing.editorial };
    // Same data as on disk: nothing to import. Skipping the serialisation here halves the cost
    // of a repeated import; a card whose formatting was changed by hand is also left as it is.
    if (JSON.stringify(parseCard(merged, path)) === JSON.stringify(existing)) {
      return { outcome: "unchanged", path };
    }
  }

  const text = serializeCard(merged);
  if (text === existingText) return { outcome: "unchanged", path };
  try {
    await writeFileAtomic(path, text);
  } catch (error) {
    throw new CardWriteError("WRITE_FAILED", `cannot write ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return { outcome: existingText === undefined ? "created" : "updated", path };
}
