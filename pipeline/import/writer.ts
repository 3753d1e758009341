/**
 * Card writers for the import: one writes in this thread, the other hands the cards to a worker
 * thread, which serialises and writes them while this thread reads and maps the next rows.
 *
 * Both keep the order of the `write` calls for one card file as long as the caller waits for a
 * write before the next one to the same file, as the import does.
 */
import { Worker } from "node:worker_threads";
import { AtomicWriteBatch } from "../card/index.ts";
import type { ImportedCard } from "./map.ts";
import { CardFolderIndex, type WriteOutcome, writeImportedCard } from "./write.ts";

/** The row a card came from, handed back when its write fails after the outcome was counted. */
export interface WriteContext {
  file: string;
  line: number;
  identifier: string;
  outcome: WriteOutcome;
}

/** A write failure as data, with the stable code of `CardWriteError`. */
export interface WriteFailure {
  code: string;
  message: string;
}

export type LateFailureHandler = (context: WriteContext, failure: WriteFailure) => void;

export interface CardWriter {
  /** Writes a card; rejects with a `WriteFailure` when the file was left as it was. */
  write(card: ImportedCard, context: Omit<WriteContext, "outcome">): Promise<WriteOutcome>;
  /** Puts every staged file in place; late failures are reported before this resolves. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

function failureOf(error: unknown): WriteFailure {
  const failure = error as Error & { code?: string };
  return {
    code: typeof failure.code === "string" ? failure.code : "INVALID_CARD",
    message: failure.message,
  };
}

/** Writes in this thread, staging files in an `AtomicWriteBatch`. */
export function localWriter(contentDir: string, onLateFailure: LateFailureHandler): CardWriter {
  const folders = new CardFolderIndex();
  const batch = new AtomicWriteBatch();
  const staged = new Set<Promise<void>>();
  return {
    async write(card, context) {
      let result: Awaited<ReturnType<typeof writeImportedCard>>;
      try {
        result = await writeImportedCard(contentDir, card, folders, batch);
      } catch (error) {
        throw failureOf(error);
      }
      const { outcome, done } = result;
      if (done !== undefined) {
        const tracked: Promise<void> = done
          .catch((error) => onLateFailure({ ...context, outcome }, failureOf(error)))
          .finally(() => staged.delete(tracked));
        staged.add(tracked);
      }
      return outcome;
    },
    async flush() {
      await batch.flush();
      await Promise.all(staged);
    },
    async close() {
      await this.flush();
    },
  };
}

/** Messages to the write worker. */
export type WorkerRequest =
  | { kind: "write"; requestId: number; card: ImportedCard; context: Omit<WriteContext, "outcome"> }
  | { kind: "flush"; requestId: number };

/** Messages from the write worker. */
export type WorkerReply =
  | { kind: "written"; requestId: number; outcome: WriteOutcome }
  | { kind: "failed"; requestId: number; failure: WriteFailure }
  | { kind: "late"; context: WriteContext; failure: WriteFailure }
  | { kind: "flushed"; requestId: number };

/** Writes in a worker thread (`write-worker.ts`), one per run. */
export function workerWriter(contentDir: string, onLateFailure: LateFailureHandler): CardWriter {
  const worker = new Worker(new URL("./write-worker.ts", import.meta.url), {
    workerData: { contentDir },
  });
  const waiting = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (e: unknown) => void }
  >();
  let requestId = 0;
  let broken: Error | undefined;

  worker.on("message", (reply: WorkerReply) => {
    if (reply.kind === "late") {
      onLateFailure(reply.context, reply.failure);
      return;
    }
    const entry = waiting.get(reply.requestId);
    waiting.delete(reply.requestId);
    if (reply.kind === "failed") entry?.reject(reply.failure);
    else entry?.resolve(reply.kind === "written" ? reply.outcome : undefined);
  });
  const fail = (error: Error) => {
    broken = error;
    for (const entry of waiting.values()) {
      entry.reject({ code: "WRITE_WORKER_FAILED", message: error.message });
    }
    waiting.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => {
    if (code !== 0)
      fail(
        new Error(
          `the card write worker stopped with exit code ${code}; run the import again with writeThread "main"`,
        ),
      );
  });

  const send = <T>(request: WorkerRequest): Promise<T> => {
    if (broken) {
      return Promise.reject({ code: "WRITE_WORKER_FAILED", message: broken.message });
    }
    return new Promise<T>((resolve, reject) => {
      waiting.set(request.requestId, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage(request);
    });
  };

  return {
    write(card, context) {
      requestId += 1;
      return send<WriteOutcome>({ kind: "write", requestId, card, context });
    },
    async flush() {
      requestId += 1;
      await send<void>({ kind: "flush", requestId });
    },
    async close() {
      try {
        if (!broken) await this.flush();
      } finally {
        await worker.terminate();
      }
    },
  };
}
