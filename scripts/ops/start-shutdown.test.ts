/**
 * `scripts/start.ts` itself, as a child process on 127.0.0.1: the health endpoints respond, every
 * request is logged as one JSON line, and SIGTERM lets a large attachment download in flight
 * complete before the process exits 0.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { get, type IncomingMessage } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSampleCards } from "../../pipeline/sample/write.ts";

const START = resolve(import.meta.dirname, "../start.ts");
/** Large enough that the socket buffers cannot take the whole body while the client pauses. */
const ATTACHMENT_BYTES = 64 * 1024 * 1024;
/**
 * Max wait for the first start, which builds the site and may build the dashboards. The value is
 * an estimate for a busy 2-core machine.
 */
const START_TIMEOUT_MS = 240_000;

interface LogLine {
  msg: string;
  [key: string]: unknown;
}

let root: string;
let child: ChildProcess;
let port: number;
const lines: LogLine[] = [];
let exited: Promise<number | null>;
let attachment: { sha256: string };

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port assigned");
  return address.port;
}

function waitForLog(msg: string): Promise<LogLine> {
  return new Promise((resolvePromise, reject) => {
    const check = () => {
      const line = lines.find((entry) => entry.msg === msg);
      if (line) {
        clearInterval(timer);
        resolvePromise(line);
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`start.ts exited with ${child.exitCode} before logging "${msg}"`));
      }
    };
    const timer = setInterval(check, 50);
    check();
  });
}

function request(path: string): Promise<IncomingMessage> {
  return new Promise((resolvePromise, reject) => {
    get({ host: "127.0.0.1", port, path, agent: false }, resolvePromise).once("error", reject);
  });
}

async function json(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await request(path);
  let text = "";
  for await (const chunk of response) text += chunk;
  return { status: response.statusCode ?? 0, body: JSON.parse(text) };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "start-shutdown-"));
  await writeSampleCards(join(root, "content"), 12, "start-shutdown");
  const bytes = randomBytes(ATTACHMENT_BYTES);
  attachment = { sha256: createHash("sha256").update(bytes).digest("hex") };
  const folder = join(root, "media", attachment.sha256.slice(0, 2));
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, attachment.sha256), bytes);
  await writeFile(join(folder, `${attachment.sha256}.published`), "");

  port = await freePort();
  child = spawn(process.execPath, [START], {
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(port),
      CONTENT_DIR: join(root, "content"),
      DIST_DIR: join(root, "dist"),
      MEDIA_DIR: join(root, "media"),
      DATABASE_PATH: join(root, "editor.db"),
      OUTBOX_DIR: join(root, "outbox"),
      PASSWORD_HASH_COST: "test",
      SHUTDOWN_GRACE_SECONDS: "120",
      npm_lifecycle_event: undefined,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  exited = new Promise((resolvePromise) => child.once("exit", (code) => resolvePromise(code)));
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (text) => {
    if (text.startsWith("{")) lines.push(JSON.parse(text) as LogLine);
  });
  await waitForLog("serving the catalogue");
}, START_TIMEOUT_MS);

afterAll(async () => {
  if (child.exitCode === null) child.kill("SIGKILL");
  await rm(root, { recursive: true, force: true });
});

describe("npm start operations", () => {
  it("serves the health endpoints", async () => {
    const health = await json("/healthz");
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: "up" });
    const ready = await json("/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe("ready");
    expect(JSON.stringify(ready.body)).not.toContain(root);
  });

  it("logs each request as one line", async () => {
    await json("/healthz?token=secret-value");
    const entry = lines.findLast((line) => line.msg === "request" && line.route === "/healthz");
    expect(entry).toMatchObject({ method: "GET", status: 200 });
    expect(typeof entry?.durationMs).toBe("number");
    expect(JSON.stringify(lines)).not.toContain("secret-value");
  });

  it("finishes a download on SIGTERM", { timeout: 180_000 }, async () => {
    const response = await request(`/attachments/${attachment.sha256}/report.pdf`);
    expect(response.statusCode).toBe(200);
    const hash = createHash("sha256");
    let received = 0;
    const [first] = (await once(response, "data")) as [Buffer];
    response.pause();
    hash.update(first);
    received += first.length;

    child.kill("SIGTERM");
    await waitForLog("stopping");
    response.resume();
    for await (const chunk of response) {
      hash.update(chunk as Buffer);
      received += (chunk as Buffer).length;
    }

    expect(received).toBe(ATTACHMENT_BYTES);
    expect(hash.digest("hex")).toBe(attachment.sha256);
    expect(await exited).toBe(0);
    expect(lines.find((line) => line.msg === "stopped")).toMatchObject({ complete: true });
  });
});
