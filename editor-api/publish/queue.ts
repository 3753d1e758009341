/**
 * The rebuild queue, persisted in SQLite so a restart loses no request.
 *
 * Requests that arrive while a job is queued join it, and a job waits for a quiet period (the
 * debounce window, default 10 s, never longer than `maxDelayMs` after its first request), so a
 * burst of approvals makes one build. Workers claim a job under a lease, inside an immediate
 * transaction, so several processes on one database file never run the same job twice. A
 * failed job is retried with exponential backoff up to `maxAttempts`, and every failure is
 * reported through `notify`.
 */

import type { Logger } from "pino";
import { ConfigError, settingProblem } from "../config.ts";
import type { Database } from "../db/database.ts";
import { ensurePublishSchema } from "./schema.sql.ts";

export type JobState = "queued" | "running" | "done" | "failed";

export interface RebuildJob {
  id: number;
  requestedAt: string;
  reason: string;
  cardIds: string[];
  state: JobState;
  notBefore: string;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  attempts: number;
  leaseOwner?: string;
  leaseExpiresAt?: string;
}

/** Event the queue sends to helpdesk when a rebuild fails. */
export interface RebuildFailedEvent {
  type: "rebuild-failed";
  jobId: number;
  reason: string;
  attempts: number;
  error: string;
  /** When the next attempt is due; undefined when no attempt is left. */
  retryAt?: string;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface QueueOptions {
  db: Database;
  /** Runs one job: a local build, or a webhook call for sites built in CI. Throws on failure. */
  run: (job: RebuildJob) => Promise<void>;
  notify: (event: RebuildFailedEvent) => Promise<void> | void;
  logger: Logger;
  /** Milliseconds since the epoch; `Date.now` by default. */
  now?: () => number;
  timers?: Timers;
  /** Name of this worker in leases; unique per process. */
  owner: string;
  debounceMs?: number;
  maxDelayMs?: number;
  /**
   * Lease of a claimed job in milliseconds, 60 s by default. The worker renews it every third of
   * this time, so another worker takes over the job of a killed one at most one lease later.
   */
  leaseMs?: number;
  maxAttempts?: number;
  /** Delay before the second attempt; it doubles for each further attempt. */
  backoffMs?: number;
  /** Interval at which a started worker looks for due jobs. */
  pollMs?: number;
}

export interface RequestInput {
  reason: string;
  cardIds?: readonly string[];
  /** False starts a job of its own instead of joining a queued one. */
  coalesce?: boolean;
}

export type RebuildQueue = ReturnType<typeof createRebuildQueue>;

/** Creates a queue over `options.db`, creating its table when missing. */
export function createRebuildQueue(options: QueueOptions) {
  const { db, logger, owner } = options;
  const now = options.now ?? Date.now;
  const timers: Timers = options.timers ?? {
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
  const debounceMs = options.debounceMs ?? 10_000;
  const maxDelayMs = options.maxDelayMs ?? 5 * 60_000;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 4;
  const backoffMs = options.backoffMs ?? 30_000;
  const pollMs = options.pollMs ?? 1000;
  ensurePublishSchema(db);

  const iso = (ms: number) => new Date(ms).toISOString();

  /** Adds a request to the queued job, or starts a new job; returns the job id. */
  function request(input: RequestInput): number {
    const at = now();
    return transaction(db, () => {
      const queued =
        input.coalesce === false
          ? undefined
          : (db
              .prepare("SELECT * FROM rebuild_jobs WHERE state = 'queued' ORDER BY id LIMIT 1")
              .get() as JobRow | undefined);
      if (queued) {
        const job = fromRow(queued);
        const cardIds = [...new Set([...job.cardIds, ...(input.cardIds ?? [])])];
        const reasons = job.reason.split("; ");
        const reason = reasons.includes(input.reason)
          ? job.reason
          : `${job.reason}; ${input.reason}`;
        const first = Date.parse(job.requestedAt);
        const notBefore = iso(Math.min(at + debounceMs, first + maxDelayMs));
        db.prepare(
          "UPDATE rebuild_jobs SET reason = ?, card_ids = ?, not_before = ? WHERE id = ?",
        ).run(reason, JSON.stringify(cardIds), notBefore, job.id);
        return job.id;
      }
      const row = db
        .prepare(
          `INSERT INTO rebuild_jobs (requested_at, reason, card_ids, state, not_before)
           VALUES (?, ?, ?, 'queued', ?) RETURNING id`,
        )
        .get(
          iso(at),
          input.reason,
          JSON.stringify([...new Set(input.cardIds ?? [])]),
          iso(at + debounceMs),
        ) as {
        id: number;
      };
      logger.info({ jobId: row.id, reason: input.reason }, "rebuild queued");
      return row.id;
    });
  }

  /** Takes the oldest due job under a lease for this worker, or returns undefined. */
  function claim(): RebuildJob | undefined {
    const at = iso(now());
    const due = db.prepare(
      `SELECT * FROM rebuild_jobs
       WHERE (state = 'queued' AND not_before <= ?)
          OR (state = 'failed' AND attempts < ? AND not_before <= ?)
          OR (state = 'running' AND lease_expires_at <= ?)
       ORDER BY id LIMIT 1`,
    );
    // A plain read first, so an idle poll takes no write lock.
    if (due.get(at, maxAttempts, at, at) === undefined) return undefined;
    return transaction(db, () => {
      // Read again under the lock: another worker may have claimed the job in between.
      const row = due.get(at, maxAttempts, at, at) as JobRow | undefined;
      if (!row) return undefined;
      if (row.state === "running") {
        logger.warn({ jobId: row.id, previousOwner: row.lease_owner }, "rebuild lease expired");
      }
      const claimed = db
        .prepare(
          `UPDATE rebuild_jobs SET state = 'running', started_at = ?, finished_at = NULL,
             attempts = attempts + 1, lease_owner = ?, lease_expires_at = ?
           WHERE id = ? RETURNING *`,
        )
        .get(at, owner, iso(now() + leaseMs), row.id) as unknown as JobRow;
      return fromRow(claimed);
    });
  }

  /** Runs one claimed job, then records its outcome if this worker still holds the lease. */
  async function execute(job: RebuildJob): Promise<void> {
    logger.info({ jobId: job.id, attempt: job.attempts, reason: job.reason }, "rebuild started");
    let heartbeat: unknown;
    const extend = () => {
      try {
        const renewed = db
          .prepare(
            "UPDATE rebuild_jobs SET lease_expires_at = ? WHERE id = ? AND lease_owner = ? AND state = 'running'",
          )
          .run(iso(now() + leaseMs), job.id, owner);
        // NOTE: the build goes on after a lost lease, so a worker stalled past its lease builds
        // the site a second time. Only the new owner records the outcome.
        if (Number(renewed.changes) === 0) {
          logger.warn({ jobId: job.id, owner }, "rebuild lease taken over by another worker");
        }
      } catch (error) {
        // The next heartbeat, a third of a lease later, tries again before the lease runs out.
        logger.error({ jobId: job.id, owner, err: error }, "rebuild lease renewal failed");
      }
      heartbeat = timers.setTimeout(extend, leaseMs / 3);
    };
    heartbeat = timers.setTimeout(extend, leaseMs / 3);
    try {
      await options.run(job);
      timers.clearTimeout(heartbeat);
      finish(job, "done");
      logger.info({ jobId: job.id }, "rebuild done");
    } catch (error) {
      timers.clearTimeout(heartbeat);
      const message = error instanceof Error ? error.message : String(error);
      const retryAt =
        job.attempts < maxAttempts ? now() + backoffMs * 2 ** (job.attempts - 1) : undefined;
      finish(job, "failed", message, retryAt);
      logger.error({ jobId: job.id, attempt: job.attempts, err: error }, "rebuild failed");
      const event: RebuildFailedEvent = {
        type: "rebuild-failed",
        jobId: job.id,
        reason: job.reason,
        attempts: job.attempts,
        error: message,
        retryAt: retryAt === undefined ? undefined : iso(retryAt),
      };
      try {
        await options.notify(event);
      } catch (notifyError) {
        logger.error({ jobId: job.id, err: notifyError }, "rebuild failure notification failed");
      }
    }
  }

  function finish(job: RebuildJob, state: "done" | "failed", error?: string, retryAt?: number) {
    const result = db
      .prepare(
        `UPDATE rebuild_jobs SET state = ?, finished_at = ?, error = ?, not_before = ?,
           lease_owner = NULL, lease_expires_at = NULL
         WHERE id = ? AND lease_owner = ? AND state = 'running'`,
      )
      .run(state, iso(now()), error ?? null, iso(retryAt ?? now()), job.id, owner);
    if (Number(result.changes) === 0) {
      logger.warn({ jobId: job.id, owner }, "rebuild lease lost before the job finished");
    }
  }

  /** Claims and runs due jobs one after another until none is due; returns how many ran. */
  async function runDue(): Promise<number> {
    let count = 0;
    for (let job = claim(); job !== undefined; job = claim()) {
      await execute(job);
      count++;
    }
    return count;
  }

  let timer: unknown;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  /** Starts polling for due jobs every `pollMs`. */
  function start(): void {
    if (!stopped) return;
    stopped = false;
    const tick = () => {
      running = runDue()
        .catch((error) => logger.error({ err: error }, "rebuild worker failed"))
        .finally(() => {
          if (!stopped) timer = timers.setTimeout(tick, pollMs);
        });
    };
    logger.info({ owner, pollMs }, "rebuild worker started");
    tick();
  }

  /** Stops polling and waits for the job in progress. */
  async function stop(): Promise<void> {
    stopped = true;
    timers.clearTimeout(timer);
    await running;
    logger.info({ owner }, "rebuild worker stopped");
  }

  function get(id: number): RebuildJob | undefined {
    const row = db.prepare("SELECT * FROM rebuild_jobs WHERE id = ?").get(id) as JobRow | undefined;
    return row && fromRow(row);
  }

  function list(limit = 50): RebuildJob[] {
    const rows = db.prepare("SELECT * FROM rebuild_jobs ORDER BY id DESC LIMIT ?").all(limit);
    return (rows as unknown as JobRow[]).map(fromRow);
  }

  return { request, claim, execute, runDue, start, stop, get, list };
}

/** Queue timing read from the environment by `rebuildTimingFromEnv`. */
export type RebuildTiming = Pick<QueueOptions, "debounceMs" | "leaseMs" | "pollMs">;

/** Variables of `rebuildTimingFromEnv`, the option each one sets and its smallest value. */
const TIMING_VARIABLES = [
  { name: "REBUILD_DEBOUNCE_MS", option: "debounceMs", min: 0 },
  { name: "REBUILD_LEASE_MS", option: "leaseMs", min: 1000 },
  { name: "REBUILD_POLL_MS", option: "pollMs", min: 10 },
] as const;

/**
 * Reads the rebuild queue's timing from REBUILD_DEBOUNCE_MS, REBUILD_LEASE_MS and
 * REBUILD_POLL_MS, all in milliseconds. Unset or empty variables keep the queue's defaults.
 * Throws a `ConfigError` with one line per invalid variable.
 */
export function rebuildTimingFromEnv(env: Record<string, string | undefined>): RebuildTiming {
  const timing: RebuildTiming = {};
  const problems: string[] = [];
  for (const { name, option, min } of TIMING_VARIABLES) {
    const text = env[name];
    if (text === undefined || text === "") continue;
    const value = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= min)) {
      problems.push(
        settingProblem(
          name,
          `must be a whole number of milliseconds, at least ${min}`,
          text,
          `set ${name} to such a number, or unset it for the default`,
        ),
      );
      continue;
    }
    timing[option] = value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return timing;
}

/**
 * Runs `body` in an immediate transaction, so the read and the write take the lock together.
 * Inside a caller's transaction it uses a savepoint, so the caller's commit covers it.
 */
export function transaction<T>(db: Database, body: () => T): T {
  const nested = db.isTransaction;
  db.exec(nested ? "SAVEPOINT rebuild_queue" : "BEGIN IMMEDIATE");
  try {
    const result = body();
    db.exec(nested ? "RELEASE rebuild_queue" : "COMMIT");
    return result;
  } catch (error) {
    db.exec(nested ? "ROLLBACK TO rebuild_queue; RELEASE rebuild_queue" : "ROLLBACK");
    throw error;
  }
}

interface JobRow {
  id: number;
  requested_at: string;
  reason: string;
  card_ids: string;
  state: JobState;
  not_before: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
}

function fromRow(row: JobRow): RebuildJob {
  return {
    id: row.id,
    requestedAt: row.requested_at,
    reason: row.reason,
    cardIds: JSON.parse(row.card_ids) as string[],
    state: row.state,
    notBefore: row.not_before,
    startedAt: row.started_at ?? undefined,
    finishedAt: row.finished_at ?? undefined,
    error: row.error ?? undefined,
    attempts: row.attempts,
    leaseOwner: row.lease_owner ?? undefined,
    leaseExpiresAt: row.lease_expires_at ?? undefined,
  };
}
