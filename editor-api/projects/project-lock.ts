/**
 * The per-project write lock, shared by every process on one editor database. A lock is a row of
 * `project_locks` with its owner and a lease, which the holder renews while its write runs. A
 * holder that dies (SIGKILL, power loss) stops renewing, so its lock lapses after at most one
 * lease and the next writer takes it over. Writes of one process also queue in memory first, so
 * only one of them at a time polls the database.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { Database } from "../db/database.ts";
import { EditorialError } from "./errors.ts";

/** Lease of a lock in milliseconds. A holder renews it every third of this time. */
export const DEFAULT_LOCK_LEASE_MS = 15_000;
/** Time a write waits for another holder before it fails with PROJECT_BUSY, in milliseconds. */
export const DEFAULT_LOCK_WAIT_MS = 30_000;
/** Pause between two attempts to take a held lock, in milliseconds. */
export const DEFAULT_LOCK_RETRY_MS = 50;

/** Table of the locks. Migration 5 creates it, and the lock also creates it for older databases. */
export const PROJECT_LOCKS_SCHEMA = `CREATE TABLE IF NOT EXISTS project_locks (
  project_id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at BIGINT NOT NULL
)`;

export interface ProjectLockOptions {
  db: Database;
  logger?: Logger;
  /** Lease in milliseconds, DEFAULT_LOCK_LEASE_MS by default. */
  leaseMs?: number;
  /** Maximum wait for a held lock in milliseconds, DEFAULT_LOCK_WAIT_MS by default. */
  waitMs?: number;
  retryMs?: number;
  /**
   * Clock in milliseconds since the epoch, `Date.now` by default. Leases compare times written by other
   * processes, so this must be the wall clock shared by every instance, never a test clock.
   */
  now?: () => number;
  /** Prefix of the owner names written into lock rows, the host name and process id by default. */
  ownerPrefix?: string;
}

export type ProjectLock = ReturnType<typeof createProjectLock>;

/** Creates the lock over `options.db`, creating its table when missing. */
export function createProjectLock(options: ProjectLockOptions) {
  const { db, logger } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LOCK_LEASE_MS;
  const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  const retryMs = options.retryMs ?? DEFAULT_LOCK_RETRY_MS;
  const now = options.now ?? Date.now;
  const ownerPrefix = options.ownerPrefix ?? `${hostname()}-${process.pid}`;
  db.exec(PROJECT_LOCKS_SCHEMA);
  const queues = new Map<string, Promise<unknown>>();

  /** Takes the lock when it is free or its lease has lapsed, and returns whether it did. */
  function tryAcquire(projectId: string, owner: string): boolean {
    const at = now();
    // One statement, so taking a free lock and taking over a lapsed one are both atomic.
    const result = db
      .prepare(
        `INSERT INTO project_locks (project_id, owner, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (project_id) DO UPDATE SET owner = excluded.owner,
           expires_at = excluded.expires_at
         WHERE project_locks.expires_at <= ?`,
      )
      .run(projectId, owner, at + leaseMs, at);
    return Number(result.changes) === 1;
  }

  /** Extends the lease, and returns false when another owner took the lock over meanwhile. */
  function renew(projectId: string, owner: string): boolean {
    const result = db
      .prepare("UPDATE project_locks SET expires_at = ? WHERE project_id = ? AND owner = ?")
      .run(now() + leaseMs, projectId, owner);
    return Number(result.changes) === 1;
  }

  function release(projectId: string, owner: string): void {
    db.prepare("DELETE FROM project_locks WHERE project_id = ? AND owner = ?").run(
      projectId,
      owner,
    );
  }

  async function acquire(projectId: string, owner: string): Promise<void> {
    const deadline = now() + waitMs;
    while (!tryAcquire(projectId, owner)) {
      if (now() >= deadline) throw projectBusy(projectId, waitMs);
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }

  /** Runs `work` while this process holds the database lock of the project. */
  async function holdAndRun<T>(projectId: string, work: () => Promise<T>): Promise<T> {
    const owner = `${ownerPrefix}-${randomUUID()}`;
    await acquire(projectId, owner);
    const renewal = setInterval(() => {
      try {
        if (!renew(projectId, owner)) {
          logger?.warn({ projectId, owner }, "project lock lost before the write finished");
        }
      } catch (error) {
        logger?.error({ projectId, owner, err: error }, "project lock renewal failed");
      }
    }, leaseMs / 3);
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      try {
        release(projectId, owner);
      } catch (error) {
        // The lease lapses on its own, so a failed release delays the next writer only.
        logger?.error({ projectId, owner, err: error }, "project lock release failed");
      }
    }
  }

  /**
   * Runs `work` after every earlier write of the same project has finished, in this process and
   * in every other process on the database. Throws PROJECT_BUSY when another holder keeps the
   * lock past the wait limit.
   */
  async function run<T>(projectId: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(projectId) ?? Promise.resolve();
    const current = previous.then(() => holdAndRun(projectId, work));
    const tail = current.catch(() => undefined);
    queues.set(projectId, tail);
    try {
      return await current;
    } finally {
      if (queues.get(projectId) === tail) queues.delete(projectId);
    }
  }

  return { run, tryAcquire, release };
}

function projectBusy(projectId: string, waitMs: number): EditorialError {
  const seconds = Math.ceil(waitMs / 1000);
  return new EditorialError(
    "PROJECT_BUSY",
    `Project ${projectId} is being changed by another request, which still held it after ${seconds} s. Try again in a few seconds.`,
    { projectId },
    { "retry-after": "5" },
  );
}

const locks = new WeakMap<Database, ProjectLock>();

/** Returns the lock of `db` with the default timing, creating it on first use. */
export function projectLockOf(db: Database, logger?: Logger): ProjectLock {
  let lock = locks.get(db);
  if (!lock) {
    lock = createProjectLock({ db, logger });
    locks.set(db, lock);
  }
  return lock;
}
