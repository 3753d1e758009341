/**
 * Test server for shutdown.test.ts, run as a child process. It serves on 127.0.0.1 with the same
 * shutdown controller as `npm start` and logs JSON lines to stdout. Its slow route and its
 * background job both finish only after shutdown began.
 *
 * GRACE_MS sets the grace period. JOB=stuck makes the job never finish, to test the time limit.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { stream } from "hono/streaming";
import pino from "pino";
import { requestLog } from "./request-log.ts";
import { createShutdown, exitOnSignals } from "./shutdown.ts";

const logger = pino();
const shutdown = createShutdown({
  logger,
  graceMs: Number(process.env.GRACE_MS ?? 20_000),
  release: () => logger.info({}, "released"),
});

let markStopping: () => void = () => {};
const stopping = new Promise<void>((resolvePromise) => {
  markStopping = resolvePromise;
});
shutdown.addDrainable({
  name: "job",
  async drain() {
    markStopping();
    if (process.env.JOB === "stuck") await new Promise(() => {});
    logger.info({}, "job finished");
  },
});

const app = new Hono();
app.use("*", requestLog(logger));
app.use("*", shutdown.trackRequests);
app.get("/slow", (c) =>
  stream(c, async (body) => {
    await body.write("first\n");
    await stopping;
    await body.write("last\n");
  }),
);

const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (address) => {
  logger.info({ port: address.port }, "listening");
});
shutdown.attachServer(server);
exitOnSignals(shutdown, logger);
