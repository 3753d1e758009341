/**
 * Tests `downloadExport` against a local HTTP server on 127.0.0.1, including routes that announce
 * the full Content-Length, send a third of the body and destroy the socket.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type DownloadResult, downloadExport } from "./download.ts";

/** Body of several megabytes, so the part sent spans many socket reads. */
const BODY = Buffer.alloc(6 * 1024 * 1024, "Programme,Project Identifier,Project Title\r\n");
const CUT_AT = Math.floor(BODY.length / 3);

let server: Server;
let baseUrl: string;
let dir: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (path === "/full.csv") {
      response.end(BODY);
      return;
    }
    if (path === "/moved.csv") {
      response.writeHead(302, { location: "/full.csv" }).end();
      return;
    }
    if (path === "/loop.csv") {
      response.writeHead(301, { location: "/loop.csv" }).end();
      return;
    }
    if (path === "/ftp.csv") {
      response.writeHead(302, { location: "ftp://127.0.0.1/full.csv" }).end();
      return;
    }
    if (path === "/chunked-cut.csv") {
      response.writeHead(200, { "content-type": "text/csv" });
      response.write(BODY.subarray(0, CUT_AT), () => response.socket?.destroy());
      return;
    }
    // The full length is announced, a third of the body is sent, then the socket is destroyed.
    // `Connection: close` makes the client finish the response at the socket's end.
    response.writeHead(200, { "content-length": String(BODY.length), connection: "close" });
    response.write(BODY.subarray(0, CUT_AT), () => response.socket?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "download-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function download(path: string, index = 0, timeoutMs = 60_000) {
  return downloadExport(new URL(`${baseUrl}${path}`), {
    dir,
    index,
    timeoutMs,
    maxBytes: 50 * 1024 * 1024,
  });
}

function errorOf(result: DownloadResult) {
  return result.ok ? undefined : result.error;
}

describe("downloadExport", () => {
  it("saves a whole file", async () => {
    const result = await download("/full.csv");
    expect(result).toMatchObject({ ok: true, bytes: BODY.length, file: join(dir, "01-full.csv") });
    expect(await readdir(dir)).toEqual(["01-full.csv"]);
  });

  it("follows a redirect", async () => {
    const result = await download("/moved.csv");
    expect(result).toMatchObject({ ok: true, bytes: BODY.length });
  });

  it("stops a redirect loop", async () => {
    const result = await download("/loop.csv");
    expect(result.ok).toBe(false);
    expect(errorOf(result)?.code).toBe("DOWNLOAD_FAILED");
    expect(errorOf(result)?.message).toContain("redirects");
  });

  it("rejects a redirect to another protocol", async () => {
    const result = await download("/ftp.csv");
    expect(errorOf(result)?.code).toBe("DOWNLOAD_FAILED");
    expect(errorOf(result)?.message).toContain("ftp:");
  });

  it("reports a chunked body cut short", async () => {
    const result = await download("/chunked-cut.csv");
    expect(errorOf(result)?.code).toBe("DOWNLOAD_TRUNCATED");
    expect(await readdir(dir)).toEqual([]);
  });

  it("reports every cut body without crashing", async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => void uncaught.push(error);
    process.on("uncaughtException", record);
    process.on("unhandledRejection", record);
    try {
      for (let run = 0; run < 30; run += 1) {
        // A download stalled by an uncaught error ends by its timeout, within the test's time.
        const result = await download("/cut.csv", run, 10_000);
        expect(result.ok).toBe(false);
        expect(errorOf(result)?.code).toBe("DOWNLOAD_TRUNCATED");
        expect(errorOf(result)?.message).toContain(`of ${BODY.length} bytes`);
      }
      // The short wait lets an error thrown from a socket event after the last download surface.
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off("uncaughtException", record);
      process.off("unhandledRejection", record);
    }
    expect(uncaught).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });
});
