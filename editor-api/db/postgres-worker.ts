/**
 * Worker thread that owns one PostgreSQL connection (the `pg` driver) for a `PostgresDatabase`.
 * It posts the reply to each request on the message port, then raises the shared signal so that
 * the blocked main thread wakes and reads the reply.
 */
import { workerData } from "node:worker_threads";
import pg from "pg";
import type { WorkerData, WorkerReply, WorkerRequest } from "./postgres-protocol.ts";

const { url, port, signal } = workerData as WorkerData;
const flag = new Int32Array(signal);

/**
 * Column parsers that give the values SQLite would: 64-bit integers, `count(*)` and numeric as
 * JavaScript numbers (exact up to 2^53), booleans as 1 or 0.
 */
const parsers = new Map<number, (text: string) => unknown>([
  [pg.types.builtins.INT8, Number],
  [pg.types.builtins.NUMERIC, Number],
  [pg.types.builtins.BOOL, (text) => (text === "t" ? 1 : 0)],
]);

const client = new pg.Client({
  connectionString: url,
  types: {
    getTypeParser: ((oid: number, format?: "text" | "binary") =>
      parsers.get(oid) ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  },
});

/** Transaction status of the last ReadyForQuery message: I idle, T in a transaction, E failed. */
let status = "I";
/** Error that broke the connection. Every later request fails with it. */
let broken: Error | undefined;

/** ReadyForQuery messages received so far, and the calls waiting for the next one. */
let readyCount = 0;
let readyWaiters: (() => void)[] = [];

function wakeWaiters(): void {
  const waiters = readyWaiters;
  readyWaiters = [];
  for (const wake of waiters) wake();
}

client.on("error", (error) => {
  broken = error;
  wakeWaiters();
});
client.on("end", wakeWaiters);

const connection = (client as unknown as { connection: NodeJS.EventEmitter }).connection;
connection.on("readyForQuery", (message: { status: string }) => {
  status = message.status;
  readyCount++;
  wakeWaiters();
});

/**
 * Waits for the ReadyForQuery message that follows a server error, unless it came already since
 * the request started (`readyBefore`). `pg` rejects the query as soon as the error arrives, so
 * without this wait the reply would carry the transaction status from before the failed
 * statement (idle after a failed BEGIN, say).
 */
async function settleAfter(error: unknown, readyBefore: number): Promise<void> {
  const fromServer = error instanceof pg.DatabaseError;
  const fatal = fromServer && (error.severity === "FATAL" || error.severity === "PANIC");
  if (!fromServer || fatal || broken || readyCount > readyBefore) return;
  await new Promise<void>((resolve) => readyWaiters.push(resolve));
}

/** Posts `reply` to the main thread and wakes it. */
function postReply(reply: WorkerReply): void {
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

function failure(error: unknown): WorkerReply {
  const fields = error as Partial<Record<"code" | "detail" | "constraint" | "table", string>>;
  return {
    ok: false,
    error: {
      message: error instanceof Error ? error.message : String(error),
      code: fields.code,
      detail: fields.detail,
      constraint: fields.constraint,
      table: fields.table,
    },
    inTransaction: status !== "I",
  };
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  if (broken) return failure(broken);
  if (request.kind === "close") {
    await client.end();
    return { ok: true, rows: [], rowCount: 0, inTransaction: false };
  }
  const result =
    request.kind === "exec"
      ? await client.query(request.text)
      : await client.query({ name: request.name, text: request.text, values: request.values });
  // A script of several statements yields one result per statement, and the reply carries the
  // last one.
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  return {
    ok: true,
    rows: last?.rows ?? [],
    rowCount: last?.rowCount ?? 0,
    inTransaction: status !== "I",
  };
}

// Requests arrive one at a time because the main thread waits for each reply.
port.on("message", (request: WorkerRequest) => {
  const readyBefore = readyCount;
  handle(request).then(
    (reply) => {
      postReply(reply);
      if (request.kind === "close") port.close();
    },
    async (error: unknown) => {
      await settleAfter(error, readyBefore);
      postReply(failure(error));
    },
  );
});

client.connect().then(
  () => postReply({ ok: true, rows: [], rowCount: 0, inTransaction: false }),
  (error: unknown) => {
    broken = error instanceof Error ? error : new Error(String(error));
    postReply(failure(error));
  },
);
