/**
 * Reads an upload source chunk by chunk with an idle timeout: a read that brings no data within
 * `idleMs` ends with `timedOut`, so a client that stalls mid-body cannot hold an upload open.
 */

/** Default time an upload may go without sending data: 30 seconds. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

export type ChunkSource =
  | ReadableStream<Uint8Array>
  | NodeJS.ReadableStream
  | AsyncIterable<Uint8Array | string>;

export type ChunkRead = { done: true } | { done: false; chunk: Uint8Array } | { timedOut: true };

export interface IdleReader {
  /** Reads the next chunk, or reports the end of the source or an idle timeout. */
  next(): Promise<ChunkRead>;
  /** Stops reading early. The source is cancelled, so nothing more is buffered. */
  stop(): void;
}

/** Creates a reader over `source` whose reads time out after `idleMs` without data. */
export function idleReader(source: ChunkSource, idleMs: number): IdleReader {
  const pull = puller(source);
  return {
    async next() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<{ timedOut: true }>((resolve) => {
        timer = setTimeout(() => resolve({ timedOut: true }), idleMs);
      });
      try {
        const read = await Promise.race([pull.next(), timeout]);
        if ("timedOut" in read) return read;
        if (read.done) return { done: true };
        const piece = read.value;
        return { done: false, chunk: typeof piece === "string" ? Buffer.from(piece) : piece };
      } finally {
        clearTimeout(timer);
      }
    },
    stop: pull.stop,
  };
}

interface Puller {
  next(): Promise<IteratorResult<Uint8Array | string>>;
  stop(): void;
}

function puller(source: ChunkSource): Puller {
  if (source instanceof ReadableStream) {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    return {
      next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
      stop: () => {
        reader.cancel().catch(() => {});
      },
    };
  }
  const iterator = (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  return {
    next: () => iterator.next(),
    stop: () => {
      // A Node stream's iterator destroys the stream on return.
      iterator.return?.().catch(() => {});
    },
  };
}
