import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../db/database.ts";
import { createTestDatabase, type TestDatabase } from "../db/test-database.ts";
import { EditorialError } from "./errors.ts";
import { createProjectLock } from "./project-lock.ts";

const WORKER = join(import.meta.dirname, "test-lock-worker.ts");
let folder: string;
let testDatabase: TestDatabase;
const connections: Database[] = [];
const workers: ChildProcessWithoutNullStreams[] = [];

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "project-lock-"));
  testDatabase = createTestDatabase(folder);
});
afterEach(async () => {
  for (const worker of workers.splice(0)) if (worker.exitCode === null) worker.kill("SIGKILL");
  for (const db of connections.splice(0)) if (db.isOpen) db.close();
  testDatabase.drop();
  await rm(folder, { recursive: true, force: true });
});

function database(): Database {
  const db = testDatabase.open();
  connections.push(db);
  return db;
}

/** Starts a holder process and resolves once it holds the lock of `projectId`. */
async function startHolder(projectId: string, leaseMs: number) {
  const worker = spawn(process.execPath, [
    WORKER,
    testDatabase.location,
    projectId,
    String(leaseMs),
  ]);
  workers.push(worker);
  const exited = once(worker, "exit");
  let output = "";
  worker.stdout.setEncoding("utf8");
  worker.stdout.on("data", (chunk: string) => {
    output += chunk;
  });
  while (!output.includes("locked\n")) {
    const [exited] = await Promise.race([
      once(worker.stdout, "data").then(() => [false]),
      once(worker, "exit").then(() => [true]),
    ]);
    if (exited) throw new Error(`lock worker exited before locking: ${output}`);
  }
  return { worker, exited, output: () => output };
}

function ownerOf(projectId: string): string | undefined {
  const row = database()
    .prepare("SELECT owner FROM project_locks WHERE project_id = ?")
    .get(projectId) as { owner: string } | undefined;
  return row?.owner;
}

describe("project lock in one process", () => {
  it("runs writes of one project in order", async () => {
    const lock = createProjectLock({ db: database() });
    const events: string[] = [];
    let finishFirst: () => void = () => {};
    const first = lock.run("P1", async () => {
      events.push("first started");
      await new Promise<void>((resolve) => {
        finishFirst = resolve;
      });
      events.push("first done");
    });
    const second = lock.run("P1", async () => {
      events.push("second started");
    });
    const other = lock.run("P2", async () => {
      events.push("other project");
    });
    await other;
    finishFirst();
    await Promise.all([first, second]);
    expect(events).toEqual(["first started", "other project", "first done", "second started"]);
  });

  it("releases the lock when the work throws", async () => {
    const lock = createProjectLock({ db: database() });
    await expect(
      lock.run("P1", async () => {
        throw new Error("card invalid");
      }),
    ).rejects.toThrow("card invalid");
    expect(ownerOf("P1")).toBeUndefined();
  });

  it("renews the lease while the work runs", async () => {
    let now = Date.parse("2026-12-04T10:00:00Z");
    const holder = createProjectLock({ db: database(), leaseMs: 90, now: () => now });
    const other = createProjectLock({ db: database(), leaseMs: 90, now: () => now });
    const expiry = () =>
      Number(
        (
          database()
            .prepare("SELECT expires_at FROM project_locks WHERE project_id = 'P1'")
            .get() as {
            expires_at: number;
          }
        ).expires_at,
      );
    await holder.run("P1", async () => {
      for (let round = 0; round < 3; round++) {
        const before = expiry();
        now += 80;
        // The holder renews every 30 ms of real time, so this waits for the renewal of the round.
        while (expiry() === before) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(other.tryAcquire("P1", "other")).toBe(false);
      }
    });
    expect(other.tryAcquire("P1", "other")).toBe(true);
  });
});

describe("project lock across processes", () => {
  it("blocks another process until release", async () => {
    const { worker, exited, output } = await startHolder("P1", 60_000);
    expect(ownerOf("P1")).toMatch(/^worker-/);
    const lock = createProjectLock({ db: database(), ownerPrefix: "main" });
    expect(lock.tryAcquire("P1", "main-probe")).toBe(false);

    let releaseSent = false;
    const entered = lock.run("P1", async () => {
      expect(releaseSent).toBe(true);
      return ownerOf("P1");
    });
    releaseSent = true;
    worker.stdin.end("release\n");
    expect(await entered).toMatch(/^main-/);
    await exited;
    expect(output()).toBe("locked\nreleased\n");
    expect(ownerOf("P1")).toBeUndefined();
  });

  it("takes over the lock of a killed process", async () => {
    const { worker, exited } = await startHolder("P1", 1000);
    const lock = createProjectLock({ db: database(), ownerPrefix: "main", waitMs: 20_000 });
    expect(lock.tryAcquire("P1", "main-probe")).toBe(false);
    worker.kill("SIGKILL");
    await exited;
    const owner = await lock.run("P1", async () => ownerOf("P1"));
    expect(owner).toMatch(/^main-/);
  });

  it("fails with PROJECT_BUSY after the wait", async () => {
    await startHolder("P1", 60_000);
    const lock = createProjectLock({ db: database(), waitMs: 100 });
    let work = false;
    const failure = await lock
      .run("P1", async () => {
        work = true;
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EditorialError);
    expect((failure as EditorialError).code).toBe("PROJECT_BUSY");
    expect((failure as EditorialError).status).toBe(503);
    expect(work).toBe(false);
    expect(ownerOf("P1")).toMatch(/^worker-/);
  });
});
