/**
 * Daily timer of the scheduled import inside the server. It runs the job once a day at a UTC time
 * of day, never starts a second run while one is in progress, and lets shutdown wait for that run.
 */

export interface SchedulerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SchedulerOptions {
  /** Time of day in UTC, as `HH:MM`. */
  dailyAt: string;
  /** Job to run. A rejection is passed to `onError` and the next day's run still happens. */
  run: () => Promise<unknown>;
  /** Handler that receives the error of each failed run. */
  onError: (error: unknown) => void;
  now?: () => Date;
  timers?: SchedulerTimers;
}

/** Returns the first moment strictly after `now` whose UTC time of day is `dailyAt` (`HH:MM`). */
export function nextRunAt(now: Date, dailyAt: string): Date {
  const [hours, minutes] = dailyAt.split(":").map(Number);
  const next = new Date(now);
  next.setUTCHours(hours, minutes, 0, 0);
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}

/** Creates a stopped scheduler. Its `start()` arms the timer for the next run. */
export function createDailyScheduler(options: SchedulerOptions) {
  const now = options.now ?? (() => new Date());
  const timers: SchedulerTimers = options.timers ?? {
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
  let timer: unknown;
  let dueAt: Date | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  function arm(): void {
    if (stopped) return;
    dueAt = nextRunAt(now(), options.dailyAt);
    timer = timers.setTimeout(fire, dueAt.getTime() - now().getTime());
  }

  function fire(): void {
    // A timer may fire early after the machine slept or the clock was set back.
    if (dueAt && now().getTime() < dueAt.getTime()) {
      timer = timers.setTimeout(fire, dueAt.getTime() - now().getTime());
      return;
    }
    void runNow().finally(arm);
  }

  /** Runs the job now unless a run is in progress, and resolves when that run ends. */
  function runNow(): Promise<void> {
    running ??= options
      .run()
      .then(
        () => undefined,
        (error: unknown) => options.onError(error),
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      arm();
    },
    /** Disarms the timer and waits for a run in progress. */
    async stop(): Promise<void> {
      stopped = true;
      timers.clearTimeout(timer);
      await running;
    },
    runNow,
    /** Returns when the next run is due, or undefined while stopped. */
    nextRun: (): Date | undefined => (stopped ? undefined : dueAt),
  };
}
