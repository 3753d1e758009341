/**
 * Synchronous PostgreSQL connection with the `Database` interface. A worker thread runs the
 * asynchronous `pg` driver. The calling thread posts each request, blocks on a shared flag
 * (`Atomics.wait`) until the worker has replied, and then takes the reply with
 * `receiveMessageOnPort`. Calls therefore block the event loop for one round trip to the
 * server, as `node:sqlite` blocks it for one disk access.
 */
import { createHash } from "node:crypto";
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from "node:worker_threads";
import type { Database, Row, RunResult, SqlInput, Statement } from "./database.ts";
import type { WorkerData, WorkerError, WorkerReply, WorkerRequest } from "./postgres-protocol.ts";
import { bindMarkers, orderValues, translateScript } from "./postgres-sql.ts";

/** Milliseconds the calling thread waits for one reply before it closes the connection. */
const REPLY_TIMEOUT_MS = 120_000;

/** Error raised by the PostgreSQL server or the connection, with the server's SQLSTATE code. */
export class PostgresError extends Error {
  /** SQLSTATE code such as 23505 (unique violation), or CONNECTION for a broken connection. */
  readonly code: string;
  readonly constraint: string | undefined;
  readonly table: string | undefined;
  constructor(error: WorkerError) {
    super(error.message);
    this.name = "PostgresError";
    this.code = error.code ?? "CONNECTION";
    this.constraint = error.constraint;
    this.table = error.table;
  }
}

/** Connection to a PostgreSQL database, used like `node:sqlite`'s `DatabaseSync`. */
export class PostgresDatabase implements Database {
  readonly dialect = "postgresql";
  #worker: Worker;
  #port: MessagePort;
  #flag: Int32Array;
  #inTransaction = false;
  #open = true;
  /** Number of requests sent, so that `lastInsertRowid` can tell whether it is still fresh. */
  #requests = 0;

  /** Connects to `url` (`postgres://user@host:port/database`), blocking until connected. */
  constructor(url: string) {
    const signal = new SharedArrayBuffer(4);
    const channel = new MessageChannel();
    this.#flag = new Int32Array(signal);
    this.#port = channel.port1;
    const data: WorkerData = { url, port: channel.port2, signal };
    this.#worker = new Worker(new URL("./postgres-worker.ts", import.meta.url), {
      workerData: data,
      transferList: [channel.port2],
    });
    // The worker must not keep the process alive on its own, so only `close` ends it.
    this.#worker.unref();
    this.#port.unref();
    const ready = this.#await();
    if (!ready.ok) {
      this.#open = false;
      void this.#worker.terminate();
      throw new PostgresError(ready.error);
    }
  }

  get isTransaction(): boolean {
    return this.#inTransaction;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  prepare(sql: string): Statement {
    const bound = bindMarkers(sql);
    const name = `s${createHash("sha1").update(bound.text).digest("hex").slice(0, 20)}`;
    const query = (parameters: unknown[]): { rows: Row[]; rowCount: number } => {
      const values = orderValues(bound, parameters, sql).map(toDriverValue);
      return this.#request({ kind: "query", name, text: bound.text, values });
    };
    return {
      get: (...parameters: unknown[]) => query(parameters).rows[0],
      all: (...parameters: unknown[]) => query(parameters).rows,
      run: (...parameters: unknown[]) => this.#runResult(query(parameters).rowCount),
    } as Statement;
  }

  exec(sql: string): void {
    const text = translateScript(sql);
    try {
      this.#request({ kind: "exec", text });
    } catch (error) {
      // A BEGIN whose writer lock timed out leaves an aborted transaction that the caller never
      // sees started (SQLite's BEGIN fails without one), so it is rolled back here.
      if (text !== sql && text.startsWith("BEGIN") && this.#inTransaction && this.#open) {
        this.#request({ kind: "exec", text: "ROLLBACK" });
      }
      throw error;
    }
  }

  close(): void {
    if (!this.#open) return;
    this.#request({ kind: "close" });
    this.#open = false;
    this.#port.close();
    void this.#worker.terminate();
  }

  /**
   * Builds the result of `run`. PostgreSQL has no row id, so `lastInsertRowid` reads the last
   * value that this session took from a sequence (an identity column). It raises when another
   * statement ran since the insert, because `lastval()` would then return that statement's value.
   */
  #runResult(changes: number): RunResult {
    const request = this.#requests;
    let rowid: number | undefined;
    const read = (): number => {
      if (rowid !== undefined) return rowid;
      if (this.#requests !== request) {
        throw new Error(
          "lastInsertRowid was read after another statement ran. Read it right after the insert, or use INSERT ... RETURNING id.",
        );
      }
      const reply = this.#request({ kind: "exec", text: "SELECT lastval() AS id" });
      rowid = Number(reply.rows[0]?.id);
      return rowid;
    };
    return {
      changes,
      get lastInsertRowid() {
        return read();
      },
    };
  }

  #request(request: WorkerRequest): Extract<WorkerReply, { ok: true }> {
    if (!this.#open) {
      throw new PostgresError({
        message: "The database connection is closed. Open a new one with openDatabase.",
        code: "CONNECTION",
      });
    }
    this.#requests++;
    this.#port.postMessage(request);
    const reply = this.#await();
    this.#inTransaction = reply.inTransaction;
    if (!reply.ok) throw new PostgresError(reply.error);
    return reply;
  }

  /** Blocks until the worker raises the flag, then takes its reply from the port. */
  #await(): WorkerReply {
    const outcome = Atomics.wait(this.#flag, 0, 0, REPLY_TIMEOUT_MS);
    Atomics.store(this.#flag, 0, 0);
    const message = receiveMessageOnPort(this.#port);
    if (outcome === "timed-out" || !message) {
      this.#open = false;
      void this.#worker.terminate();
      throw new PostgresError({
        message: `The PostgreSQL worker timed out after ${REPLY_TIMEOUT_MS} ms, so the connection was closed. Check that the server is reachable, then open a new connection.`,
        code: "CONNECTION",
      });
    }
    return message.message as WorkerReply;
  }
}

/** Converts a value bound by the code to one the `pg` driver sends as the same SQL value. */
function toDriverValue(value: SqlInput): SqlInput {
  if (typeof value === "bigint") return value.toString();
  if (ArrayBuffer.isView(value) && !Buffer.isBuffer(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return value;
}
