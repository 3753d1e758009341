/** Messages between a `PostgresDatabase` and its worker thread. */
import type { MessagePort } from "node:worker_threads";
import type { Row, SqlInput } from "./database.ts";

/** Start-up data of the worker. */
export interface WorkerData {
  /** `postgres://` connection URL. */
  url: string;
  /** Port that carries the requests and the replies. */
  port: MessagePort;
  /** One Int32 that the worker sets to 1 when it has posted a reply. */
  signal: SharedArrayBuffer;
}

/** Request from the main thread: a parameterised statement, a script, or the end. */
export type WorkerRequest =
  | { kind: "query"; name: string; text: string; values: SqlInput[] }
  | { kind: "exec"; text: string }
  | { kind: "close" };

/** PostgreSQL error fields that callers test; never the parameter values. */
export interface WorkerError {
  message: string;
  /** SQLSTATE code, such as 23505 for a unique violation. */
  code?: string;
  detail?: string;
  constraint?: string;
  table?: string;
}

/** Reply of the worker, with the connection's transaction status after the request. */
export type WorkerReply =
  | { ok: true; rows: Row[]; rowCount: number; inTransaction: boolean }
  | { ok: false; error: WorkerError; inTransaction: boolean };
