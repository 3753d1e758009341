/**
 * Synchronous PostgreSQL connection with the `Database` interface. A worker thread runs the
 * asynchronous `pg` driver; the calling thread posts each request and blocks on a shared flag
 * (`Atomics.wait`) until the worker has answered, then takes the answer with
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
import type { WorkerAnswer, WorkerData, WorkerError, WorkerRequest } from "./postgres-protocol.ts";
import { bindMarkers, orderValues, translateScript } from "./postgres-sql.ts";

/** Milliseconds the calling thread waits for one answer before it gives up on the connection. */
const ANSWER_TIMEOUT_MS = 120_000;

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
    // The worker must never keep the process alive on its own; `close` ends it.
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
    const query = (given: unknown[]): { rows: Row[]; rowCount: number } => {
      const values = orderValues(bound, given, sql).map(toDriverValue);
      return this.#request({ kind: "query", name, text: bound.text, values });
    };
    return {
      get: (...given: unknown[]) => query(given).rows[0],
      all: (...given: unknown[]) => query(given).rows,
      run: (...given: unknown[]) => this.#runResult(query(given).rowCount),
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
   * value that this session took from a sequence (an identity column), and only when read right
   * after the insert: a later read would see another statement's value and raises instead.
   */
  #runResult(changes: number): RunResult {
    const request = this.#requests;
    let rowid: number | undefined;
    const read = (): number => {
      if (rowid !== undefined) return rowid;
      if (this.#requests !== request) {
        throw new Error(
          "lastInsertRowid was read after another statement ran; read it right after the insert, or use INSERT ... RETURNING id.",
        );
      }
      const answer = this.#request({ kind: "exec", text: "SELECT lastval() AS id" });
      rowid = Number(answer.rows[0]?.id);
      return rowid;
    };
    return {
      changes,
      get lastInsertRowid() {
        return read();
      },
    };
  }

  #request(request: WorkerRequest): Extract<WorkerAnswer, { ok: true }> {
    if (!this.#open) {
      throw new PostgresError({
        message: "The database connection is closed; open a new one with openDatabase.",
        code: "CONNECTION",
      });
    }
    this.#requests++;
    this.#port.postMessage(request);
    const answer = this.#await();
    this.#inTransaction = answer.inTransaction;
    if (!answer.ok) throw new PostgresError(answer.error);
    return answer;
  }

  /** Blocks until the worker raises the flag, then takes its answer from the port. */
  #await(): WorkerAnswer {
    const outcome = Atomics.wait(this.#flag, 0, 0, ANSWER_TIMEOUT_MS);
    Atomics.store(this.#flag, 0, 0);
    const message = receiveMessageOnPort(this.#port);
    if (outcome === "timed-out" || !message) {
      this.#open = false;
      void this.#worker.terminate();
      throw new PostgresError({
        message: `The PostgreSQL worker did not answer within ${ANSWER_TIMEOUT_MS} ms; the connection was closed. Check that the server is reachable.`,
        code: "CONNECTION",
      });
    }
    return message.message as WorkerAnswer;
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
