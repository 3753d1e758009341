/** `npm run import:scheduled` as CI runs it: exports from 127.0.0.1, outputs in GITHUB_OUTPUT. */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLI = join(import.meta.dirname, "cli.ts");
const EXPORT = resolve(
  import.meta.dirname,
  "../../../shared/data/real/eubfr-data-lake/CreativeEurope_Projects_Overview_extract_19rows.converted.csv",
);

let server: Server;
let baseUrl: string;
let root: string;

beforeAll(async () => {
  const body = await readFile(EXPORT);
  server = createServer((request, response) => {
    if (request.url === "/export.csv") response.end(body);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolvePromise) => server.listen(0, "127.0.0.1", resolvePromise));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  root = await mkdtemp(join(tmpdir(), "scheduled-import-cli-"));
});

afterAll(async () => {
  await new Promise((resolvePromise) => server.close(resolvePromise));
  await rm(root, { recursive: true, force: true });
});

function runCli(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => resolvePromise({ code, stderr }));
  });
}

describe("import:scheduled", () => {
  it("writes changed to GITHUB_OUTPUT", async () => {
    const folder = join(root, "outputs");
    await mkdir(join(folder, "content"), { recursive: true });
    const outputs = join(folder, "github-output");
    await writeFile(outputs, "");
    const env = {
      IMPORT_URLS: `${baseUrl}/export.csv`,
      CONTENT_DIR: join(folder, "content"),
      IMPORT_STAGING_DIR: join(folder, "staging"),
      IMPORT_REPORT_DIR: join(folder, "reports"),
      GITHUB_OUTPUT: outputs,
    };

    expect((await runCli(env)).code).toBe(0);
    expect(await readFile(outputs, "utf8")).toMatch(/^changed=true\nreport=.+\.json\n$/);
    await writeFile(outputs, "");
    expect((await runCli(env)).code).toBe(0);
    expect(await readFile(outputs, "utf8")).toMatch(/^changed=false\n/);
  });

  it("exits 1 on a failed download", async () => {
    const folder = join(root, "failed");
    await mkdir(join(folder, "content"), { recursive: true });
    const result = await runCli({
      IMPORT_URLS: `${baseUrl}/missing.csv`,
      CONTENT_DIR: join(folder, "content"),
      IMPORT_STAGING_DIR: join(folder, "staging"),
      IMPORT_REPORT_DIR: join(folder, "reports"),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("DOWNLOAD_HTTP_STATUS");
  });

  it("exits 2 without IMPORT_URLS", async () => {
    const result = await runCli({});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("IMPORT_URLS: must list at least one export URL");
  });
});
