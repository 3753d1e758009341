/**
 * Graceful shutdown in a real child process (test-drain-server.ts): after SIGTERM the server
 * rejects new connections, completes the response in flight and the running job, and exits 0.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { get, type IncomingMessage } from "node:http";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";

const SERVER = join(import.meta.dirname, "test-drain-server.ts");

interface LogLine {
  msg: string;
  [key: string]: unknown;
}

interface Child {
  process: ChildProcess;
  lines: LogLine[];
  /** Resolves with the first log line whose message is `msg`. */
  waitFor: (msg: string) => Promise<LogLine>;
  exited: Promise<number | null>;
}

let child: Child | undefined;

afterEach(() => {
  if (child && child.process.exitCode === null) child.process.kill("SIGKILL");
  child = undefined;
});

function startServer(env: Record<string, string> = {}): Child {
  const process_ = spawn(process.execPath, [SERVER], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: LogLine[] = [];
  const waiters: { msg: string; resolve: (line: LogLine) => void }[] = [];
  createInterface({ input: process_.stdout as NodeJS.ReadableStream }).on("line", (text) => {
    const line = JSON.parse(text) as LogLine;
    lines.push(line);
    for (const waiter of waiters.filter((entry) => entry.msg === line.msg)) waiter.resolve(line);
  });
  const exited = new Promise<number | null>((resolvePromise) => {
    process_.once("exit", (code) => resolvePromise(code));
  });
  return {
    process: process_,
    lines,
    exited,
    waitFor(msg) {
      const seen = lines.find((line) => line.msg === msg);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolvePromise) => waiters.push({ msg, resolve: resolvePromise }));
    },
  };
}

function request(port: number, path: string): Promise<IncomingMessage> {
  return new Promise((resolvePromise, reject) => {
    get({ host: "127.0.0.1", port, path, agent: false }, resolvePromise).once("error", reject);
  });
}

function firstChunk(response: IncomingMessage): Promise<string> {
  return new Promise((resolvePromise) => {
    response.once("data", (chunk: Buffer) => {
      response.pause();
      resolvePromise(chunk.toString());
    });
  });
}

function rest(response: IncomingMessage): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let text = "";
    response.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    response.once("end", () => resolvePromise(text));
    response.once("error", reject);
    response.resume();
  });
}

describe("graceful shutdown", () => {
  it("completes a request in flight", async () => {
    child = startServer();
    const { port } = (await child.waitFor("listening")) as LogLine & { port: number };
    const response = await request(port, "/slow?token=secret-value");
    expect(await firstChunk(response)).toBe("first\n");

    child.process.kill("SIGTERM");
    await child.waitFor("stopping");
    // A connection that reached the backlog before the listener closed is reset instead.
    const refused = await request(port, "/slow").then(
      () => "served",
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(["ECONNREFUSED", "ECONNRESET"]).toContain(refused);
    expect(await rest(response)).toBe("last\n");

    expect(await child.exited).toBe(0);
    const messages = child.lines.map((line) => line.msg);
    expect(messages).toContain("job finished");
    expect(messages.indexOf("released")).toBeGreaterThan(messages.indexOf("job finished"));
    expect(child.lines.find((line) => line.msg === "stopped")).toMatchObject({ complete: true });
  });

  it("logs requests without query strings", async () => {
    child = startServer();
    const { port } = (await child.waitFor("listening")) as LogLine & { port: number };
    const response = await request(port, "/slow?token=secret-value");
    await firstChunk(response);
    child.process.kill("SIGTERM");
    await rest(response);
    await child.exited;

    const entry = child.lines.find((line) => line.msg === "request");
    expect(entry).toMatchObject({ method: "GET", route: "/slow", status: 200 });
    expect(typeof entry?.durationMs).toBe("number");
    expect(JSON.stringify(child.lines)).not.toContain("secret-value");
  });

  it("exits 1 when a job outlasts the grace period", async () => {
    child = startServer({ GRACE_MS: "300", JOB: "stuck" });
    await child.waitFor("listening");
    child.process.kill("SIGTERM");

    expect(await child.exited).toBe(1);
    const warning = child.lines.find((line) => line.msg.startsWith("grace period over"));
    expect(warning).toMatchObject({ unfinished: ["job"] });
    expect(child.lines.map((line) => line.msg)).toContain("released");
  });

  it("exits at once on a second signal", async () => {
    child = startServer({ JOB: "stuck" });
    await child.waitFor("listening");
    child.process.kill("SIGTERM");
    await child.waitFor("stopping");
    child.process.kill("SIGINT");

    expect(await child.exited).toBe(1);
    expect(child.lines.map((line) => line.msg)).toContain("second signal, exiting without waiting");
    expect(child.lines.map((line) => line.msg)).not.toContain("released");
  });
});
