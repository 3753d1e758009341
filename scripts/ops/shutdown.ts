/**
 * Graceful shutdown of a serving process. On the first signal the process stops accepting
 * connections and marks itself not ready, lets running requests and background jobs (the
 * rebuild worker, the scheduled import) finish, then releases its resources. The wait is bounded
 * by a grace period, after which open connections are cut.
 */
import type { MiddlewareHandler } from "hono";

export interface ShutdownLogger {
  info: (object: object, message?: string) => void;
  warn: (object: object, message?: string) => void;
  error: (object: object, message?: string) => void;
}

/** Subset of a Node HTTP server that shutdown uses. */
export interface ClosableServer {
  close: (callback: (error?: Error) => void) => unknown;
  closeIdleConnections?: () => void;
  closeAllConnections?: () => void;
}

/**
 * Background work that must finish before exit. `drain` stops new runs and awaits the current one.
 */
export interface Drainable {
  name: string;
  drain: () => Promise<void>;
}

export interface ShutdownOptions {
  logger: ShutdownLogger;
  /** Maximum wait for requests and jobs, in milliseconds. */
  graceMs: number;
  /** Called once everything finished or the grace period ran out, such as to close the database. */
  release: () => Promise<void> | void;
}

/** Interval at which keep-alive connections that became idle are closed while draining. */
const IDLE_SWEEP_MS = 250;

/** Creates the shutdown controller. Attach the server and jobs before a signal can arrive. */
export function createShutdown(options: ShutdownOptions) {
  const { logger } = options;
  let server: ClosableServer | undefined;
  const drainables: Drainable[] = [];
  let accepting = true;
  let inFlight = 0;
  let stopping: Promise<number> | undefined;

  /** Middleware that counts running requests and sends `Connection: close` once stopping. */
  const trackRequests: MiddlewareHandler = async function countRequest(c, next) {
    inFlight += 1;
    try {
      await next();
      if (!accepting) c.header("Connection", "close");
    } finally {
      inFlight -= 1;
    }
  };

  function closeServer(target: ClosableServer): Promise<void> {
    return new Promise((resolvePromise) => {
      target.close(() => resolvePromise());
    });
  }

  async function run(reason: string): Promise<number> {
    accepting = false;
    logger.info({ reason, inFlight, jobs: drainables.map((job) => job.name) }, "stopping");
    const unfinished = new Set(drainables.map((job) => job.name));
    const work: Promise<void>[] = drainables.map((job) =>
      job.drain().then(
        () => {
          unfinished.delete(job.name);
        },
        (error: unknown) => {
          unfinished.delete(job.name);
          logger.error({ job: job.name, err: error }, "background job failed while stopping");
        },
      ),
    );
    let sweep: NodeJS.Timeout | undefined;
    if (server) {
      const target = server;
      unfinished.add("requests");
      work.push(closeServer(target).then(() => void unfinished.delete("requests")));
      sweep = setInterval(() => target.closeIdleConnections?.(), IDLE_SWEEP_MS);
    }

    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolvePromise) => {
      timer = setTimeout(() => resolvePromise(false), options.graceMs);
    });
    const finished = await Promise.race([Promise.all(work).then(() => true as const), expired]);
    clearTimeout(timer);
    clearInterval(sweep);
    if (!finished) {
      logger.warn(
        { graceMs: options.graceMs, inFlight, unfinished: [...unfinished] },
        "grace period over, cutting open connections",
      );
      server?.closeAllConnections?.();
    }
    try {
      await options.release();
    } catch (error) {
      logger.error({ err: error }, "releasing resources failed while stopping");
      return 1;
    }
    logger.info({ reason, complete: finished }, "stopped");
    return finished ? 0 : 1;
  }

  return {
    trackRequests,
    /** False once shutdown has begun. */
    isAccepting: () => accepting,
    /** Sets the server whose connections are drained. */
    attachServer(target: ClosableServer) {
      server = target;
    },
    /** Adds a job that shutdown waits for. */
    addDrainable(job: Drainable) {
      drainables.push(job);
    },
    /**
     * Stops the process's work and resolves with the exit code: 0 when everything finished
     * within the grace period, 1 otherwise. Later calls return the first call's promise.
     */
    shutdown(reason: string): Promise<number> {
      stopping ??= run(reason);
      return stopping;
    },
  };
}

export type Shutdown = ReturnType<typeof createShutdown>;

/**
 * Runs `shutdown` on SIGTERM, SIGINT and SIGHUP, then exits with its code. A second signal
 * during the shutdown (Ctrl-C pressed twice) exits at once with code 1.
 */
export function exitOnSignals(shutdown: Shutdown, logger: Pick<ShutdownLogger, "warn">): void {
  let received = 0;
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    process.on(signal, () => {
      received += 1;
      if (received > 1) {
        logger.warn({ signal }, "second signal, exiting without waiting");
        process.exit(1);
      }
      void shutdown.shutdown(signal).then((code) => process.exit(code));
    });
  }
}
