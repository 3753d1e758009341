/**
 * A bounded load of the editorial API on loopback, shared by the load test and the `api-load`
 * benchmark. Several signed-in beneficiaries, each editing a project of their own, alternate a
 * read of their project (card, drafts and version) with a save of their result draft, so reads
 * and writes run together. The same driver can load a bare Hono route for comparison.
 */
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { DANCE_CARD, projectPath } from "../editor-api/projects/fixtures.ts";
import { type EditorialTest, startEditorialTest } from "../editor-api/projects/test-editorial.ts";
import { TestClient } from "../editor-api/testing/test-editor.ts";

export type RequestKind = "read" | "save";

/** One client of the load: its session, its project and the version it last saw. */
interface LoadClient {
  client: TestClient;
  /** Path of the project read. */
  readPath: string;
  /** Path of the result draft save. */
  savePath: string;
  version: number;
}

export interface LoadTarget {
  clients: LoadClient[];
  close(): Promise<void>;
}

export interface KindReport {
  requests: number;
  failed: number;
  requestsPerSecond: number;
  p99Ms: number;
}

export interface LoadReport {
  elapsedMs: number;
  kinds: Record<RequestKind, KindReport>;
  /** The first failures, as `METHOD path: status or error`. */
  failures: string[];
}

export interface LoadOptions {
  /** Read and save pairs each client sends. */
  iterations: number;
}

function projectCard(index: number) {
  return {
    ...DANCE_CARD,
    id: `2013-${String(1000 + index)}/001-001`,
    title: `Load project ${index}`,
  };
}

/**
 * Starts the editorial API (`startEditorialTest`: SQLite file, content folder, SMTP inbox on
 * 127.0.0.1) with one project, one beneficiary and one result draft per client.
 */
export async function startEditorialTarget(clientCount: number): Promise<LoadTarget> {
  const test: EditorialTest = await startEditorialTest();
  try {
    const cards = Array.from({ length: clientCount }, (_unused, index) => projectCard(index));
    for (const card of cards) await test.addCard(card);
    await test.importContactsFeed(
      cards.map((card, index): [string, string] => [card.id, `client${index}@example.test`]),
    );
    const clients: LoadClient[] = [];
    for (const [index, card] of cards.entries()) {
      const client = await test.signedIn({
        username: `Client${index}`,
        email: `client${index}@example.test`,
      });
      const created = await client.post(projectPath(card.id, "/results"), {
        title: "Report 0",
        version: 1,
      });
      if (created.status !== 201) {
        throw new Error(`creating the result draft of ${card.id} failed with ${created.status}`);
      }
      const body = (await created.json()) as { version: number; result: { id: string } };
      clients.push({
        client,
        readPath: projectPath(card.id),
        savePath: projectPath(card.id, `/results/${body.result.id}`),
        version: body.version,
      });
    }
    return { clients, close: () => test.close() };
  } catch (error) {
    await test.close();
    throw error;
  }
}

/**
 * Starts a bare Hono app on 127.0.0.1 with a read and a save route that return a version, so the
 * driver's own cost can be measured.
 */
export async function startBareTarget(clientCount: number): Promise<LoadTarget> {
  const app = new Hono();
  let version = 1;
  app.get("/projects/:id", (c) => c.json({ version }));
  app.put("/projects/:id/result", async (c) => {
    await c.req.json();
    version += 1;
    return c.json({ version });
  });
  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
  await new Promise<void>((resolvePromise) => server.once("listening", resolvePromise));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients = Array.from({ length: clientCount }, (_unused, index) => ({
    client: new TestClient(origin),
    readPath: `/projects/${index}`,
    savePath: `/projects/${index}/result`,
    version: 1,
  }));
  return {
    clients,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.close(() => resolvePromise());
        if ("closeAllConnections" in server) server.closeAllConnections();
      }),
  };
}

/** Returns the 99th percentile of the durations, in milliseconds with one decimal. */
function p99(durations: number[]): number {
  if (durations.length === 0) return 0;
  const sorted = [...durations].sort((left, right) => left - right);
  const index = Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1);
  return Math.round((sorted[index] ?? 0) * 10) / 10;
}

/** Runs every client's read and save pairs at once and returns throughput, p99 and failures. */
export async function runLoad(target: LoadTarget, options: LoadOptions): Promise<LoadReport> {
  const durations: Record<RequestKind, number[]> = { read: [], save: [] };
  const failedCounts: Record<RequestKind, number> = { read: 0, save: 0 };
  const failures: string[] = [];

  const timed = async (kind: RequestKind, label: string, send: () => Promise<Response>) => {
    const started = performance.now();
    let response: Response | undefined;
    try {
      response = await send();
      const body = (await response.json()) as { version?: number };
      durations[kind].push(performance.now() - started);
      if (response.ok) return body;
      failedCounts[kind] += 1;
      if (failures.length < 10) failures.push(`${label}: ${response.status}`);
    } catch (error) {
      failedCounts[kind] += 1;
      if (failures.length < 10) failures.push(`${label}: ${(error as Error).message}`);
    }
    return undefined;
  };

  const runClient = async (state: LoadClient) => {
    for (let iteration = 1; iteration <= options.iterations; iteration += 1) {
      const read = await timed("read", `GET ${state.readPath}`, () =>
        state.client.get(state.readPath),
      );
      if (read?.version !== undefined) state.version = read.version;
      const saved = await timed("save", `PUT ${state.savePath}`, () =>
        state.client.request("PUT", state.savePath, {
          title: `Report ${iteration}`,
          description: `Saved under load, iteration ${iteration}.`,
          version: state.version,
        }),
      );
      if (saved?.version !== undefined) state.version = saved.version;
    }
  };

  const started = performance.now();
  await Promise.all(target.clients.map(runClient));
  const elapsedMs = performance.now() - started;

  const report = (kind: RequestKind): KindReport => ({
    requests: durations[kind].length + failedCounts[kind],
    failed: failedCounts[kind],
    requestsPerSecond: Math.round(
      ((durations[kind].length + failedCounts[kind]) * 1000) / elapsedMs,
    ),
    p99Ms: p99(durations[kind]),
  });
  return { elapsedMs, kinds: { read: report("read"), save: report("save") }, failures };
}

let collectGarbage: (() => void) | undefined;

/** Runs a full garbage collection and returns the V8 heap in use, in bytes. */
export function heapUsedAfterGc(): number {
  if (!collectGarbage) {
    // `--expose-gc` set at run time defines `gc` only in contexts created afterwards.
    setFlagsFromString("--expose-gc");
    collectGarbage = runInNewContext("gc") as () => void;
  }
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}
