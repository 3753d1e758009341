/**
 * Authenticated read: requests per second for `GET /api/session` with a signed-in session,
 * against a bare Hono route served by the same adapter, both driven by autocannon on loopback
 * in this process. `size` is the number of concurrent connections.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import autocannon from "autocannon";
import { Hono } from "hono";
import { createBenchEditor } from "../../editor-api/testing/bench-editor.ts";
import type { BenchCase } from "../types.ts";

const DURATION_SECONDS = 5;

type Load = { requestsPerSecond: number; p99Ms: number; errors: number };

async function load(url: string, connections: number, headers: Record<string, string>) {
  const result = await autocannon({ url, connections, duration: DURATION_SECONDS, headers });
  const failures = result.errors + result.timeouts + result.non2xx;
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p99Ms: result.latency.p99,
    errors: failures,
  } satisfies Load;
}

async function bareRoute(): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Hono();
  app.get("/ping", (c) => c.json({ ok: true }));
  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ping`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const authRead: BenchCase = {
  name: "auth-read",
  description: "GET /api/session with a session cookie vs a bare Hono route (size = connections)",
  async run({ size, log }) {
    const connections = Math.max(1, Math.min(size, 64));
    const bare = await bareRoute();
    const editor = await createBenchEditor({ listen: true });
    try {
      const reference = await load(bare.url, connections, {});
      log(`bare route: ${reference.requestsPerSecond} req/s`);
      const measured = await load(`${editor.url}/api/session`, connections, {
        cookie: editor.cookie,
      });
      log(`authenticated read: ${measured.requestsPerSecond} req/s`);
      if (measured.errors > 0) throw new Error(`${measured.errors} authenticated reads failed`);
      return [
        {
          name: "auth-read: requests",
          size: connections,
          value: measured.requestsPerSecond,
          unit: "req/s",
          reference: reference.requestsPerSecond,
          referenceLabel: "bare Hono route",
        },
        {
          name: "auth-read: p99 latency",
          size: connections,
          value: measured.p99Ms,
          unit: "ms",
          reference: reference.p99Ms,
          referenceLabel: "bare Hono route",
        },
      ];
    } finally {
      await editor.close();
      await bare.close();
    }
  },
};

export default authRead;
