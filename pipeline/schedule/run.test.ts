/**
 * Scheduled import runs against exports served by a local HTTP server on 127.0.0.1: real export
 * files, real downloads, a real content folder. Failed downloads and malformed files must leave
 * every card file as it was.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runScheduledImport, type ScheduledImportOptions } from "./run.ts";
import type { ScheduledImportSettings } from "./settings.ts";

const REAL = resolve(import.meta.dirname, "../../../shared/data/real");
const CREATIVE_EUROPE = join(
  REAL,
  "eubfr-data-lake/CreativeEurope_Projects_Overview_extract_19rows.converted.csv",
);
const CULTURE = join(
  REAL,
  "techforuk-my_eu/Culture_2007_2013_Projects_Overview_2018-08-01.converted.csv",
);

let server: Server;
let baseUrl: string;
/** Responses held open by the stalling route, ended after each test. */
const stalled: ServerResponse[] = [];
let root: string;
let rebuilds: { reason: string; changedCards: number }[];
let notified: string[];

const silent = { info() {}, warn() {}, error() {} };

beforeAll(async () => {
  const creativeEurope = await readFile(CREATIVE_EUROPE);
  const routes: Record<string, (response: ServerResponse) => void> = {
    "/exports/creative-europe.csv": (response) => response.end(creativeEurope),
    "/exports/culture.csv": (response) => response.end(CULTURE_BYTES),
    "/exports/not-an-export.csv": (response) =>
      response.end("<!doctype html><title>Maintenance</title><p>Back soon</p>"),
    // Valid rows first, then a quoted cell that is never closed.
    "/exports/broken.csv": (response) =>
      response.end(
        Buffer.concat([creativeEurope, Buffer.from('Creative Europe,"unclosed cell\r\n')]),
      ),
    "/exports/truncated.csv": (response) => {
      response.writeHead(200, { "content-length": String(creativeEurope.length) });
      response.write(creativeEurope.subarray(0, 1000), () => response.socket?.destroy());
    },
    // The whole of a file cut in the middle of a row, sent with a matching Content-Length.
    "/exports/culture-cut.csv": (response) => response.end(CULTURE_BYTES.subarray(0, 200_000)),
    "/exports/stall.csv": (response) => {
      stalled.push(response);
    },
  };
  const CULTURE_BYTES = await readFile(CULTURE);
  server = createServer((request, response) => {
    const route = routes[new URL(request.url ?? "/", "http://127.0.0.1").pathname];
    if (route) route(response);
    else response.writeHead(404).end("not found");
  });
  await new Promise<void>((resolvePromise) => server.listen(0, "127.0.0.1", resolvePromise));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolvePromise) => server.close(resolvePromise));
});

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "scheduled-import-"));
  await mkdir(join(root, "content"));
  rebuilds = [];
  notified = [];
});

afterEach(async () => {
  for (const response of stalled.splice(0)) response.destroy();
  await rm(root, { recursive: true, force: true });
});

function settings(paths: string[], overrides: Partial<ScheduledImportSettings> = {}) {
  return {
    urls: paths.map((path) => new URL(`${baseUrl}${path}`)),
    dailyAt: "05:00",
    timeoutMs: 60_000,
    maxBytes: 50 * 1024 * 1024,
    stagingDir: join(root, "staging"),
    reportDir: join(root, "reports"),
    ...overrides,
  };
}

function run(paths: string[], overrides: Partial<ScheduledImportSettings> = {}) {
  const options: ScheduledImportOptions = {
    settings: settings(paths, overrides),
    contentDir: join(root, "content"),
    logger: silent,
    requestRebuild: (request) => void rebuilds.push(request),
    notify: async (report) => void notified.push(report.error?.code ?? ""),
  };
  return runScheduledImport(options);
}

/** Returns every file under the content folder with its SHA-256. */
async function contentHashes(): Promise<Record<string, string>> {
  const folder = join(root, "content");
  const hashes: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    hashes[relative(folder, path)] = createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
  }
  return hashes;
}

describe("scheduled import", () => {
  it("imports and requests one rebuild", async () => {
    const report = await run(["/exports/creative-europe.csv"]);
    expect(report.status).toBe("imported");
    expect(report.totals?.created).toBeGreaterThan(0);
    expect(report.files[0]).toMatchObject({ rows: 19, file: "01-creative-europe.csv" });
    expect(rebuilds).toEqual([
      { reason: expect.stringContaining("scheduled import"), changedCards: report.totals?.created },
    ]);
    expect(Object.keys(await contentHashes())).toHaveLength(report.totals?.created ?? -1);
    const written = JSON.parse(await readFile(report.reportFile, "utf8"));
    expect(written.status).toBe("imported");
    expect(await readdir(join(root, "staging"))).toEqual([]);
    expect(notified).toEqual([]);
  });

  it("skips the rebuild when nothing changed", async () => {
    await run(["/exports/creative-europe.csv"]);
    rebuilds = [];
    const report = await run(["/exports/creative-europe.csv"]);
    expect(report.status).toBe("unchanged");
    expect(report.totals?.unchanged).toBeGreaterThan(0);
    expect(report.rebuildRequested).toBe(false);
    expect(rebuilds).toEqual([]);
  });

  it("imports the real Culture export", async () => {
    const report = await run(["/exports/culture.csv"]);
    expect(report.status).toBe("imported");
    expect(report.files[0].rows).toBe(737);
    expect((report.totals?.created ?? 0) + (report.totals?.rejected ?? 0)).toBe(737);
  });
});

describe("scheduled import failures", () => {
  const cases: [string, string[], string, Partial<ScheduledImportSettings>?][] = [
    ["HTTP error", ["/exports/missing.csv"], "DOWNLOAD_HTTP_STATUS"],
    ["truncated body", ["/exports/truncated.csv"], "DOWNLOAD_TRUNCATED"],
    ["timeout", ["/exports/stall.csv"], "DOWNLOAD_TIMEOUT", { timeoutMs: 300 }],
    [
      "file over the limit",
      ["/exports/creative-europe.csv"],
      "DOWNLOAD_TOO_LARGE",
      { maxBytes: 1000 },
    ],
    ["not an export", ["/exports/not-an-export.csv"], "EXPORT_INVALID"],
    ["malformed last row", ["/exports/broken.csv"], "EXPORT_INVALID"],
    ["good file then bad one", ["/exports/culture.csv", "/exports/broken.csv"], "EXPORT_INVALID"],
    [
      "bad download after good",
      ["/exports/culture.csv", "/exports/missing.csv"],
      "DOWNLOAD_HTTP_STATUS",
    ],
  ];

  for (const [name, paths, code, overrides] of cases) {
    it(`keeps the catalogue on ${name}`, async () => {
      await writeFile(join(root, "seed.txt"), "");
      await run(["/exports/creative-europe.csv"]);
      const before = await contentHashes();
      rebuilds = [];

      const report = await run(paths, overrides);
      expect(report.status).toBe("failed");
      expect(report.error?.code).toBe(code);
      expect(await contentHashes()).toEqual(before);
      expect(rebuilds).toEqual([]);
      expect(notified).toEqual([code]);
      const written = JSON.parse(await readFile(report.reportFile, "utf8"));
      expect(written.error.code).toBe(code);
    });
  }

  it("names the line of a malformed file", async () => {
    const report = await run(["/exports/broken.csv"]);
    const failed = report.files[0];
    expect(failed.error?.line).toBeGreaterThan(19);
    expect(report.error?.message).toContain("/exports/broken.csv");
  });

  it("keeps the cards on a file cut mid-row", async () => {
    await run(["/exports/culture.csv"]);
    const before = await contentHashes();
    rebuilds = [];

    const report = await run(["/exports/culture-cut.csv"]);
    expect(report.status).toBe("failed");
    expect(report.error?.code).toBe("EXPORT_INVALID");
    expect(report.error?.message).toContain("at line 357 (MISSING_CELLS:");
    expect(report.files[0]?.error).toMatchObject({ code: "MISSING_CELLS", line: 357 });
    expect(report.totals).toBeUndefined();
    expect(await contentHashes()).toEqual(before);
    expect(rebuilds).toEqual([]);
    expect(notified).toEqual(["EXPORT_INVALID"]);
  });

  it("keeps query strings out of reports", async () => {
    const report = await run(["/exports/missing.csv?token=secret-value"]);
    expect(report.error?.message).not.toContain("secret-value");
    expect(await readFile(report.reportFile, "utf8")).not.toContain("secret-value");
  });

  it("skips a run while another holds the lock", async () => {
    await mkdir(join(root, "staging"), { recursive: true });
    await writeFile(join(root, "staging", "import.lock"), `${process.ppid}\n`);
    const report = await run(["/exports/creative-europe.csv"]);
    expect(report.status).toBe("skipped");
    expect(report.error?.code).toBe("IMPORT_RUNNING");
    expect(await contentHashes()).toEqual({});
  });

  it("removes only its own staging folders", async () => {
    await mkdir(join(root, "staging", "operator-notes"), { recursive: true });
    await mkdir(join(root, "staging", "2026-12-03T05-00-00-000Z"), { recursive: true });
    await run(["/exports/creative-europe.csv"]);
    expect(await readdir(join(root, "staging"))).toEqual(["operator-notes"]);
  });

  it("takes over a lock left by a dead process", async () => {
    await mkdir(join(root, "staging"), { recursive: true });
    await writeFile(join(root, "staging", "import.lock"), "999999999\n");
    const report = await run(["/exports/creative-europe.csv"]);
    expect(report.status).toBe("imported");
  });
});
