/**
 * Publishing a card: its editorial part is written into the card file, every changed field is
 * audited, and a site rebuild is requested. Contractual data always comes from the file on disk,
 * so the editorial side can never change what the importer wrote.
 */

import { isDeepStrictEqual } from "node:util";
import {
  type Card,
  CardFormatError,
  type CardInput,
  cardPath,
  parseCard,
  readCardFile,
  writeCardFile,
} from "../../pipeline/card/index.ts";
import type { Database } from "../db/database.ts";
import { recordAudit } from "./audit.ts";
import { type RebuildJob, type RebuildQueue, transaction } from "./queue.ts";

/** The card to publish: which card, and its new editorial part. */
export type PublishInput = Pick<CardInput, "id" | "programme" | "editorial">;

export interface PublishContext {
  db: Database;
  queue: Pick<RebuildQueue, "request">;
  /** Account that published; undefined for the system. */
  actorId?: string;
  /** Audit action name; `publish` by default. */
  action?: string;
  now?: () => Date;
}

export type PublishResult =
  | { ok: true; path: string; changedFields: string[]; jobId?: number }
  | {
      ok: false;
      code: "CARD_NOT_FOUND" | "CARD_INVALID";
      message: string;
      details: Record<string, unknown>;
    };

/**
 * Replaces the editorial part of the card file atomically, records one audit entry per changed
 * field and requests a rebuild. Nothing is written or requested when nothing changed.
 */
export async function publishCard(
  contentDir: string,
  card: PublishInput,
  context: PublishContext,
): Promise<PublishResult> {
  const path = cardPath(contentDir, card.programme, card.id);
  let existing: Card;
  try {
    existing = await readCardFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return {
        ok: false,
        code: "CARD_NOT_FOUND",
        message: `no card file for project ${card.id} at ${path}; import the project first`,
        details: { projectId: card.id, path },
      };
    }
    throw error;
  }

  const next: CardInput = { ...existing, editorial: card.editorial };
  let parsed: Card;
  try {
    parsed = parseCard(next, path);
  } catch (error) {
    if (error instanceof CardFormatError) {
      return {
        ok: false,
        code: "CARD_INVALID",
        message: `the editorial part of project ${card.id} is invalid: ${error.message}`,
        details: { projectId: card.id, issues: error.issues },
      };
    }
    throw error;
  }

  const changedFields = changedEditorialFields(existing.editorial, parsed.editorial);
  if (changedFields.length === 0) return { ok: true, path, changedFields };

  // NOTE: the file is written before the audit and the rebuild request are committed. If that
  // commit fails, the card is changed on disk with no audit entry and no rebuild queued.
  await writeCardFile(path, parsed);
  const at = (context.now ?? (() => new Date()))().toISOString();
  const job: number = transaction(context.db, () => {
    for (const field of changedFields) {
      recordAudit(context.db, {
        at,
        actorId: context.actorId,
        action: context.action ?? "publish",
        projectId: card.id,
        field: `editorial.${field}`,
        oldValue: (existing.editorial as Record<string, unknown>)[field],
        newValue: (parsed.editorial as Record<string, unknown>)[field],
      });
    }
    return context.queue.request({ reason: `publish ${card.id}`, cardIds: [card.id] });
  });
  return { ok: true, path, changedFields, jobId: job };
}

/** Adapts the site's `build({ reason })` function into a queue job runner. */
export function createBuildRunner(
  build: (options: { reason: string }) => Promise<unknown>,
): (job: RebuildJob) => Promise<void> {
  return async (job) => {
    await build({ reason: job.reason });
  };
}

function changedEditorialFields(before: object, after: object): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter(
      (key) =>
        !isDeepStrictEqual(
          (before as Record<string, unknown>)[key],
          (after as Record<string, unknown>)[key],
        ),
    )
    .sort();
}
