import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../config.ts";
import type { Database } from "../db/database.ts";
import { createTestDatabase, type TestDatabase } from "../db/test-database.ts";
import {
  createRebuildQueue,
  type QueueOptions,
  type RebuildFailedEvent,
  type RebuildJob,
  rebuildTimingFromEnv,
  type Timers,
} from "./queue.ts";

const logger = pino({ level: "silent" });
const START = Date.parse("2026-12-04T10:00:00Z");
let folder: string;
let testDatabase: TestDatabase;
let databasePath: string;
const open: Database[] = [];

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "queue-"));
  testDatabase = createTestDatabase(folder);
  databasePath = testDatabase.location;
});
afterEach(async () => {
  for (const db of open.splice(0)) if (db.isOpen) db.close();
  testDatabase.drop();
  await rm(folder, { recursive: true, force: true });
});

function database(): Database {
  const db = testDatabase.open();
  open.push(db);
  return db;
}

/** Creates a clock that the test moves by hand. */
function manualClock(start = START) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Timers that never fire on their own, so lease heartbeats stay out of the tests. */
const idleTimers: Timers = { setTimeout: () => 0, clearTimeout: () => {} };

function queueWith(overrides: Partial<QueueOptions> & Pick<QueueOptions, "db">) {
  const builds: RebuildJob[] = [];
  const events: RebuildFailedEvent[] = [];
  const queue = createRebuildQueue({
    owner: "worker-a",
    logger,
    timers: idleTimers,
    run: async (job) => {
      builds.push(job);
    },
    notify: (event) => {
      events.push(event);
    },
    ...overrides,
  });
  return { queue, builds, events };
}

describe("rebuild queue", () => {
  it("keeps requests across a restart", async () => {
    const clock = manualClock();
    const first = queueWith({ db: database(), now: clock.now });
    const id = first.queue.request({ reason: "publish P1", cardIds: ["P1"] });
    open[0].close();

    clock.advance(10_000);
    const second = queueWith({ db: database(), now: clock.now, owner: "worker-b" });
    expect(await second.queue.runDue()).toBe(1);
    expect(second.builds.map((job) => job.id)).toEqual([id]);
    expect(second.builds[0].reason).toBe("publish P1");
    expect(second.queue.get(id)).toMatchObject({ state: "done", attempts: 1 });
  });

  it("coalesces ten requests into one build", async () => {
    const clock = manualClock();
    const { queue, builds } = queueWith({ db: database(), now: clock.now });
    const ids = new Set<number>();
    for (let index = 1; index <= 10; index++) {
      ids.add(queue.request({ reason: `publish P${index}`, cardIds: [`P${index}`] }));
      clock.advance(6000);
    }
    expect(ids.size).toBe(1);

    // The last request came 6 s ago and the window is 10 s: nothing is due yet.
    expect(await queue.runDue()).toBe(0);
    clock.advance(4000);
    expect(await queue.runDue()).toBe(1);
    expect(builds).toHaveLength(1);
    expect(builds[0].cardIds).toEqual(Array.from({ length: 10 }, (_, index) => `P${index + 1}`));
    expect(await queue.runDue()).toBe(0);
  });

  it("caps the debounce at the maximum delay", async () => {
    const clock = manualClock();
    const { queue } = queueWith({ db: database(), now: clock.now, maxDelayMs: 60_000 });
    const id = queue.request({ reason: "a" });
    for (let index = 0; index < 20; index++) {
      clock.advance(5000);
      queue.request({ reason: "b" });
    }
    expect(queue.get(id)?.notBefore).toBe(new Date(START + 60_000).toISOString());
    expect(queue.get(id)?.reason).toBe("a; b");
  });

  it("starts a new job once the queued one runs", async () => {
    const clock = manualClock();
    const { queue } = queueWith({ db: database(), now: clock.now, debounceMs: 0 });
    const first = queue.request({ reason: "a" });
    expect(queue.claim()?.id).toBe(first);
    const second = queue.request({ reason: "b" });
    expect(second).not.toBe(first);
  });

  it("marks a failed build, retries and notifies", async () => {
    const clock = manualClock();
    const { queue, events } = queueWith({
      db: database(),
      now: clock.now,
      debounceMs: 0,
      maxAttempts: 3,
      backoffMs: 1000,
      run: async () => {
        throw new Error("astro build exited with code 1");
      },
    });
    const id = queue.request({ reason: "publish P1" });

    expect(await queue.runDue()).toBe(1);
    expect(queue.get(id)).toMatchObject({
      state: "failed",
      attempts: 1,
      error: "astro build exited with code 1",
    });
    expect(events).toEqual([
      {
        type: "rebuild-failed",
        jobId: id,
        reason: "publish P1",
        attempts: 1,
        error: "astro build exited with code 1",
        retryAt: new Date(START + 1000).toISOString(),
      },
    ]);

    // Not due before the backoff; then the delays double: 1 s, 2 s.
    expect(await queue.runDue()).toBe(0);
    clock.advance(1000);
    expect(await queue.runDue()).toBe(1);
    expect(events[1].retryAt).toBe(new Date(START + 3000).toISOString());
    clock.advance(2000);
    expect(await queue.runDue()).toBe(1);
    expect(events[2]).toMatchObject({ attempts: 3, retryAt: undefined });

    clock.advance(3_600_000);
    expect(await queue.runDue()).toBe(0);
    expect(queue.get(id)).toMatchObject({ state: "failed", attempts: 3 });
  });

  it("succeeds on a retry", async () => {
    const clock = manualClock();
    let calls = 0;
    const { queue, events } = queueWith({
      db: database(),
      now: clock.now,
      debounceMs: 0,
      backoffMs: 10,
      run: async () => {
        calls++;
        if (calls === 1) throw new Error("disk full");
      },
    });
    const id = queue.request({ reason: "r" });
    await queue.runDue();
    clock.advance(10);
    await queue.runDue();
    expect(queue.get(id)).toMatchObject({ state: "done", attempts: 2 });
    expect(events).toHaveLength(1);
  });

  it("reclaims a job whose lease expired", async () => {
    const clock = manualClock();
    const db = database();
    const a = queueWith({ db, now: clock.now, debounceMs: 0, leaseMs: 60_000 });
    const b = queueWith({ db: database(), now: clock.now, owner: "worker-b", leaseMs: 60_000 });
    const id = a.queue.request({ reason: "r" });
    expect(a.queue.claim()?.id).toBe(id);
    expect(await b.queue.runDue()).toBe(0);
    clock.advance(60_000);
    expect(await b.queue.runDue()).toBe(1);
    expect(b.queue.get(id)).toMatchObject({ state: "done", attempts: 2 });
  });

  it("extends the lease while a job runs", async () => {
    const clock = manualClock();
    const pending: (() => void)[] = [];
    const timers: Timers = {
      setTimeout: (callback) => pending.push(callback),
      clearTimeout: () => {},
    };
    let finishBuild: () => void = () => {};
    const { queue } = queueWith({
      db: database(),
      now: clock.now,
      timers,
      debounceMs: 0,
      leaseMs: 60_000,
      run: () =>
        new Promise<void>((resolve) => {
          finishBuild = resolve;
        }),
    });
    const id = queue.request({ reason: "slow build" });
    const running = queue.runDue();
    expect(queue.get(id)?.leaseExpiresAt).toBe(new Date(START + 60_000).toISOString());

    clock.advance(20_000);
    pending.shift()?.();
    expect(queue.get(id)?.leaseExpiresAt).toBe(new Date(START + 80_000).toISOString());

    finishBuild();
    expect(await running).toBe(1);
    expect(queue.get(id)).toMatchObject({ state: "done", leaseOwner: undefined });
  });

  it("keeps running when another worker took the lease", async () => {
    const clock = manualClock();
    const pending: (() => void)[] = [];
    const timers: Timers = {
      setTimeout: (callback) => pending.push(callback),
      clearTimeout: () => {},
    };
    let finishBuild: () => void = () => {};
    const a = queueWith({
      db: database(),
      now: clock.now,
      timers,
      debounceMs: 0,
      leaseMs: 60_000,
      run: () =>
        new Promise<void>((resolve) => {
          finishBuild = resolve;
        }),
    });
    const b = queueWith({ db: database(), now: clock.now, owner: "worker-b", leaseMs: 60_000 });
    const id = a.queue.request({ reason: "slow build" });
    const running = a.queue.runDue();

    // Worker A stalls past its lease, so worker B takes the job over and finishes it.
    clock.advance(60_000);
    expect(await b.queue.runDue()).toBe(1);
    pending.shift()?.();
    expect(b.queue.get(id)).toMatchObject({ state: "done", attempts: 2, leaseOwner: undefined });

    // A's late heartbeat and finish leave B's outcome alone.
    finishBuild();
    expect(await running).toBe(1);
    expect(a.queue.get(id)).toMatchObject({ state: "done", attempts: 2 });
    expect(b.builds.map((job) => job.id)).toEqual([id]);
  });

  it("notification failure leaves the job failed", async () => {
    const { queue } = queueWith({
      db: database(),
      debounceMs: 0,
      run: async () => {
        throw new Error("boom");
      },
      notify: async () => {
        throw new Error("smtp down");
      },
    });
    const id = queue.request({ reason: "r" });
    await queue.runDue();
    expect(queue.get(id)).toMatchObject({ state: "failed", error: "boom" });
  });

  it("worker loop runs a due job", async () => {
    let built: (job: RebuildJob) => void = () => {};
    const done = new Promise<RebuildJob>((resolve) => {
      built = resolve;
    });
    const queue = createRebuildQueue({
      db: database(),
      owner: "loop",
      logger,
      debounceMs: 0,
      pollMs: 5,
      notify: () => {},
      run: async (job) => built(job),
    });
    queue.start();
    const id = queue.request({ reason: "loop" });
    expect((await done).id).toBe(id);
    await queue.stop();
  });
});

describe("rebuild queue across processes", () => {
  it("runs each job exactly once", async () => {
    const db = database();
    const { queue } = queueWith({ db, debounceMs: 0 });
    const ids = Array.from({ length: 30 }, (_, index) =>
      queue.request({ reason: `job ${index}`, coalesce: false }),
    );
    db.close();

    const worker = join(dirname(fileURLToPath(import.meta.url)), "test-claim-worker.ts");
    const run = promisify(execFile);
    const outputs = await Promise.all(
      ["worker-1", "worker-2"].map((owner) =>
        run(process.execPath, [worker, databasePath, owner], { timeout: 60_000 }),
      ),
    );
    const ran = outputs.flatMap((output) => output.stdout.split("\n").filter(Boolean).map(Number));
    expect(ran.toSorted((x, y) => x - y)).toEqual(ids);
    expect(new Set(ran).size).toBe(ids.length);

    const check = database();
    const states = check.prepare("SELECT DISTINCT state FROM rebuild_jobs").all();
    expect(states).toEqual([{ state: "done" }]);
  });
});

describe("rebuildTimingFromEnv", () => {
  it("reads the timing in milliseconds", () => {
    const env = { REBUILD_DEBOUNCE_MS: "0", REBUILD_LEASE_MS: "3000", REBUILD_POLL_MS: "100" };
    expect(rebuildTimingFromEnv(env)).toEqual({ debounceMs: 0, leaseMs: 3000, pollMs: 100 });
  });

  it("keeps defaults for unset variables", () => {
    expect(rebuildTimingFromEnv({ REBUILD_LEASE_MS: "" })).toEqual({});
  });

  it("rejects each invalid variable", () => {
    const env = { REBUILD_DEBOUNCE_MS: "-1", REBUILD_LEASE_MS: "500", REBUILD_POLL_MS: "1s" };
    const error = (() => {
      try {
        rebuildTimingFromEnv(env);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'REBUILD_DEBOUNCE_MS: must be a whole number of milliseconds, at least 0 (got "-1"); set REBUILD_DEBOUNCE_MS to such a number, or unset it for the default',
      'REBUILD_LEASE_MS: must be a whole number of milliseconds, at least 1000 (got "500"); set REBUILD_LEASE_MS to such a number, or unset it for the default',
      'REBUILD_POLL_MS: must be a whole number of milliseconds, at least 10 (got "1s"); set REBUILD_POLL_MS to such a number, or unset it for the default',
    ]);
  });
});
