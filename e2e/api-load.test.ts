/**
 * Bounded load of reads and saves together on loopback: no request may fail, and the heap after
 * garbage collection must not grow past a bound between the end of a warm-up and the end of the
 * load. The load is a fixed number of requests, so the test does not depend on machine speed.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { heapUsedAfterGc, type LoadTarget, runLoad, startEditorialTarget } from "./api-load.ts";

const CLIENTS = 6;
const WARM_UP_ITERATIONS = 30;
const LOAD_ITERATIONS = 100;
/**
 * Heap growth allowed over the 1,200 requests of the load, in bytes. A leak of 4 KiB per request
 * grows the heap by 4.7 MiB, past this bound. In one run of 3,200 requests (8 clients) it grew
 * by 1.2 MB.
 */
const MAX_HEAP_GROWTH_BYTES = 4 * 1024 * 1024;

let target: LoadTarget;
beforeEach(async () => {
  target = await startEditorialTarget(CLIENTS);
});
afterEach(async () => {
  await target.close();
});

describe("API under load", () => {
  it("serves reads and saves without failures", async () => {
    const warmUp = await runLoad(target, { iterations: WARM_UP_ITERATIONS });
    expect(warmUp.failures).toEqual([]);
    const heapAfterWarmUp = heapUsedAfterGc();

    const load = await runLoad(target, { iterations: LOAD_ITERATIONS });
    expect(load.failures).toEqual([]);
    expect(load.kinds.read.requests).toBe(CLIENTS * LOAD_ITERATIONS);
    expect(load.kinds.save.requests).toBe(CLIENTS * LOAD_ITERATIONS);
    expect(load.kinds.read.failed).toBe(0);
    expect(load.kinds.save.failed).toBe(0);

    const heapAfterLoad = heapUsedAfterGc();
    expect(heapAfterLoad - heapAfterWarmUp).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
  }, 120_000);
});
