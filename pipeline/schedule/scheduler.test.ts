/** The daily scheduler with a frozen clock and timers fired by hand. */
import { describe, expect, it } from "vitest";
import { createDailyScheduler, nextRunAt } from "./scheduler.ts";

describe("nextRunAt", () => {
  const cases: [string, string, string][] = [
    ["2026-12-04T04:59:00Z", "05:00", "2026-12-04T05:00:00.000Z"],
    ["2026-12-04T05:00:00Z", "05:00", "2026-12-05T05:00:00.000Z"],
    ["2026-12-04T18:30:00Z", "05:00", "2026-12-05T05:00:00.000Z"],
    ["2026-12-31T23:59:59Z", "00:00", "2027-01-01T00:00:00.000Z"],
    ["2026-12-04T00:00:00Z", "23:45", "2026-12-04T23:45:00.000Z"],
  ];
  for (const [now, dailyAt, expected] of cases) {
    it(`${dailyAt} after ${now}`, () => {
      expect(nextRunAt(new Date(now), dailyAt).toISOString()).toBe(expected);
    });
  }
});

/** Timers that record the armed callback and delay instead of waiting. */
function manualTimers() {
  const armed: { callback: () => void; ms: number }[] = [];
  return {
    armed,
    setTimeout: (callback: () => void, ms: number) => {
      const entry = { callback, ms };
      armed.push(entry);
      return entry;
    },
    clearTimeout: (handle: unknown) => {
      const index = armed.indexOf(handle as (typeof armed)[number]);
      if (index >= 0) armed.splice(index, 1);
    },
  };
}

describe("createDailyScheduler", () => {
  it("arms the timer for the next run", () => {
    const timers = manualTimers();
    const now = new Date("2026-12-04T04:00:00Z");
    const scheduler = createDailyScheduler({
      dailyAt: "05:00",
      run: async () => {},
      onError: () => {},
      now: () => now,
      timers,
    });
    scheduler.start();
    expect(timers.armed.map((entry) => entry.ms)).toEqual([3_600_000]);
    expect(scheduler.nextRun()?.toISOString()).toBe("2026-12-04T05:00:00.000Z");
  });

  it("runs when due and arms the next day", async () => {
    const timers = manualTimers();
    let now = new Date("2026-12-04T04:00:00Z");
    let runs = 0;
    const scheduler = createDailyScheduler({
      dailyAt: "05:00",
      run: async () => {
        runs += 1;
      },
      onError: () => {},
      now: () => now,
      timers,
    });
    scheduler.start();
    now = new Date("2026-12-04T05:00:00Z");
    timers.armed.shift()?.callback();
    await scheduler.stop();
    expect(runs).toBe(1);
  });

  it("re-arms a timer that fired early", () => {
    const timers = manualTimers();
    let now = new Date("2026-12-04T04:00:00Z");
    let runs = 0;
    const scheduler = createDailyScheduler({
      dailyAt: "05:00",
      run: async () => {
        runs += 1;
      },
      onError: () => {},
      now: () => now,
      timers,
    });
    scheduler.start();
    now = new Date("2026-12-04T04:59:00Z");
    timers.armed.shift()?.callback();
    expect(runs).toBe(0);
    expect(timers.armed.map((entry) => entry.ms)).toEqual([60_000]);
  });

  it("never runs twice at once", async () => {
    let finish: () => void = () => {};
    let runs = 0;
    const scheduler = createDailyScheduler({
      dailyAt: "05:00",
      run: () => {
        runs += 1;
        return new Promise<void>((resolvePromise) => {
          finish = resolvePromise;
        });
      },
      onError: () => {},
      timers: manualTimers(),
    });
    const first = scheduler.runNow();
    const second = scheduler.runNow();
    expect(second).toBe(first);
    finish();
    await first;
    expect(runs).toBe(1);
  });

  it("stop waits for the run in progress", async () => {
    let finish: () => void = () => {};
    let finished = false;
    const scheduler = createDailyScheduler({
      dailyAt: "05:00",
      run: () =>
        new Promise<void>((resolvePromise) => {
          finish = () => {
            finished = true;
            resolvePromise();
          };
        }),
      onError: () => {},
      timers: manualTimers(),
    });
    scheduler.start();
    void scheduler.runNow();
    const stopped = scheduler.stop().then(() => finished);
    finish();
    expect(await stopped).toBe(true);
    expect(scheduler.nextRun()).toBeUndefined();
  });

  it("passes a failed run to onError", async () => {
    const errors: unknown[] = [];
    const scheduler = createDailyScheduler({
      dailyAt: "05:00",
      run: async () => {
        throw new Error("disk full");
      },
      onError: (error) => errors.push(error),
      timers: manualTimers(),
    });
    await scheduler.runNow();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe("disk full");
  });
});
