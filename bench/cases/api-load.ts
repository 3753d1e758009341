/**
 * Editorial API under load: requests per second and p99 latency of a project read
 * (`GET /api/projects/:id`) and a result draft save (`PUT /api/projects/:id/results/:resultId`),
 * sent together by `size` signed-in beneficiaries, each on a project of their own. The same
 * driver (fetch in this process, on loopback) loads a bare Hono app with a read and a save route
 * in the same run, as the reference.
 */
import {
  type LoadReport,
  type LoadTarget,
  type RequestKind,
  runLoad,
  startBareTarget,
  startEditorialTarget,
} from "../../e2e/api-load.ts";
import type { BenchCase, BenchRow } from "../types.ts";

/** Read and save pairs each client sends in the measured run. */
const ITERATIONS = 100;
/** Pairs each client sends before measuring. */
const WARM_UP_ITERATIONS = 10;
/** Maximum number of clients, whatever the requested size. */
const MAX_CLIENTS = 64;

const LABELS: Record<RequestKind, string> = { read: "project read", save: "result save" };

/** Runs the warm-up pairs, then measures `target`, and closes it in both cases. */
async function measureLoad(target: LoadTarget): Promise<LoadReport> {
  try {
    await runLoad(target, { iterations: WARM_UP_ITERATIONS });
    return await runLoad(target, { iterations: ITERATIONS });
  } finally {
    await target.close();
  }
}

function rows(clients: number, measured: LoadReport, reference: LoadReport): BenchRow[] {
  return (["read", "save"] as const).flatMap((kind) => [
    {
      name: `api-load: ${LABELS[kind]} requests`,
      size: clients,
      value: measured.kinds[kind].requestsPerSecond,
      unit: "req/s",
      reference: reference.kinds[kind].requestsPerSecond,
      referenceLabel: "bare Hono route",
    },
    {
      name: `api-load: ${LABELS[kind]} p99 latency`,
      size: clients,
      value: measured.kinds[kind].p99Ms,
      unit: "ms",
      reference: reference.kinds[kind].p99Ms,
      referenceLabel: "bare Hono route",
    },
  ]);
}

const apiLoad: BenchCase = {
  name: "api-load",
  description:
    "Project reads and result saves by concurrent signed-in clients vs a bare Hono app (size = clients)",
  async run({ size, log }) {
    const clients = Math.max(1, Math.min(size, MAX_CLIENTS));

    const reference = await measureLoad(await startBareTarget(clients));
    log(`bare Hono app: ${reference.kinds.read.requestsPerSecond} reads/s`);

    const measured = await measureLoad(await startEditorialTarget(clients));
    log(`editorial API: ${measured.kinds.read.requestsPerSecond} reads/s`);

    const failed = measured.kinds.read.failed + measured.kinds.save.failed;
    if (failed > 0) {
      throw new Error(`${failed} requests failed under load: ${measured.failures.join("; ")}`);
    }
    return rows(clients, measured, reference);
  },
};

export default apiLoad;
