import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DatabaseSync } from "node:sqlite";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createRebuildQueue, type RebuildJob } from "./queue.ts";
import { createWebhookRunner, SIGNATURE_HEADER, verifySignature } from "./webhook.ts";

const logger = pino({ level: "silent" });
const SECRET = "test-webhook-secret";

interface Received {
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** Starts a receiver on 127.0.0.1 that responds to each request with the next of `statuses`. */
async function receiver(statuses: (number | "hang")[]) {
  const received: Received[] = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      const status = statuses[Math.min(received.length - 1, statuses.length - 1)];
      if (status === "hang") return;
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/dispatch`, received };
}

const job: RebuildJob = {
  id: 7,
  requestedAt: "2026-12-04T10:00:00.000Z",
  reason: "publish P1; publish P2",
  cardIds: ["P1", "P2"],
  state: "running",
  notBefore: "2026-12-04T10:00:10.000Z",
  attempts: 1,
};

describe("webhook runner", () => {
  it("posts a signed dispatch", async () => {
    const { url, received } = await receiver([204]);
    const run = createWebhookRunner({
      url,
      secret: SECRET,
      logger,
      headers: { authorization: "Bearer token" },
    });
    await run(job);

    expect(received).toHaveLength(1);
    const [request] = received;
    expect(JSON.parse(request.body)).toEqual({
      event_type: "rebuild-site",
      client_payload: {
        job_id: 7,
        reason: "publish P1; publish P2",
        card_ids: ["P1", "P2"],
        requested_at: "2026-12-04T10:00:00.000Z",
      },
    });
    const expected = `sha256=${createHmac("sha256", SECRET).update(request.body).digest("hex")}`;
    expect(request.headers[SIGNATURE_HEADER]).toBe(expected);
    expect(verifySignature(SECRET, request.body, expected)).toBe(true);
    expect(verifySignature("other-secret", request.body, expected)).toBe(false);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers.authorization).toBe("Bearer token");
    expect(request.headers["x-rebuild-job"]).toBe("7");
  });

  it("retries after a server error", async () => {
    const { url, received } = await receiver([503, 204]);
    const run = createWebhookRunner({ url, secret: SECRET, logger, retryDelayMs: 1 });
    await run(job);
    expect(received).toHaveLength(2);
    expect(received[1].body).toBe(received[0].body);
  });

  it("fails after the last retry", async () => {
    const { url, received } = await receiver([500]);
    const run = createWebhookRunner({ url, secret: SECRET, logger, retries: 2, retryDelayMs: 1 });
    await expect(run(job)).rejects.toThrow("rebuild webhook returned HTTP 500");
    expect(received).toHaveLength(3);
  });

  it("times out a silent receiver", async () => {
    const { url } = await receiver(["hang"]);
    const run = createWebhookRunner({ url, secret: SECRET, logger, retries: 0, timeoutMs: 100 });
    await expect(run(job)).rejects.toThrow("rebuild webhook timed out after 100 ms");
  });

  it("drives the queue in webhook mode", async () => {
    const { url, received } = await receiver([500, 200]);
    const db = new DatabaseSync(":memory:");
    const events: unknown[] = [];
    let now = Date.parse("2026-12-04T10:00:00Z");
    const queue = createRebuildQueue({
      db,
      owner: "web",
      logger,
      now: () => now,
      debounceMs: 0,
      backoffMs: 1000,
      notify: (event) => {
        events.push(event);
      },
      run: createWebhookRunner({ url, secret: SECRET, logger, retries: 0 }),
    });
    const id = queue.request({ reason: "publish P1", cardIds: ["P1"] });
    await queue.runDue();
    expect(queue.get(id)).toMatchObject({ state: "failed" });
    expect(events).toHaveLength(1);
    now += 1000;
    await queue.runDue();
    expect(queue.get(id)).toMatchObject({ state: "done", attempts: 2 });
    expect(JSON.parse(received[1].body).client_payload.job_id).toBe(id);
    db.close();
  });
});
