import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachmentDisposition, createSiteServer } from "./site-server.ts";

const SHA = "e".repeat(64);
const NESTED_SHA = "f".repeat(64);
/** Stored like the others but never published: a draft's attachment. */
const DRAFT_SHA = "d".repeat(64);

let root: string;
let server: ServerType;
let base: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "site-server-test-"));
  const dist = join(root, "dist");
  const attachments = join(root, "attachments");
  await mkdir(join(dist, "help"), { recursive: true });
  await mkdir(join(dist, "_astro"), { recursive: true });
  await writeFile(join(dist, "index.html"), "<!doctype html><title>Home</title><h1>Home</h1>");
  await writeFile(join(dist, "help", "index.html"), "<!doctype html><title>Help</title>");
  await writeFile(
    join(dist, "404.html"),
    "<!doctype html><title>Not found</title><h1>Custom 404</h1>",
  );
  await writeFile(join(dist, "site.css"), "body { color: black; }");
  await writeFile(join(dist, "_astro", "page.abc123.js"), "console.info(1);");
  await writeFile(join(dist, ".search-shards.json"), '{"shards":[]}');
  await mkdir(join(dist, "pagefind"), { recursive: true });
  await writeFile(join(dist, "pagefind", "shards.json"), '{"bundles":[]}');
  await writeFile(join(dist, "pagefind", "pagefind.js"), "export {};");
  await mkdir(join(attachments, NESTED_SHA.slice(0, 2)), { recursive: true });
  await writeFile(join(attachments, SHA), "<html><script>alert(1)</script></html>");
  await writeFile(join(attachments, NESTED_SHA.slice(0, 2), NESTED_SHA), "%PDF-1.4 test");
  await writeFile(join(attachments, `${SHA}.published`), "");
  await writeFile(join(attachments, NESTED_SHA.slice(0, 2), `${NESTED_SHA}.published`), "");
  await mkdir(join(attachments, DRAFT_SHA.slice(0, 2)), { recursive: true });
  await writeFile(join(attachments, DRAFT_SHA.slice(0, 2), DRAFT_SHA), "%PDF-1.4 draft");

  const app = createSiteServer({ distDir: dist, attachmentsDir: attachments });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe("createSiteServer", () => {
  it("serves pages with security headers", async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toMatch(/https?:/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });

  it("sets content types of static files", async () => {
    const css = await fetch(`${base}/site.css`);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    const script = await fetch(`${base}/_astro/page.abc123.js`);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect(script.headers.get("cache-control")).toContain("immutable");
  });

  it("refuses the build's dot files", async () => {
    const response = await fetch(`${base}/.search-shards.json`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("shards");
  });

  it("asks caches to revalidate the search manifests only", async () => {
    const manifest = await fetch(`${base}/pagefind/shards.json`);
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get("cache-control")).toBe("no-cache");
    const script = await fetch(`${base}/pagefind/pagefind.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("cache-control")).toBeNull();
  });

  it("redirects a folder to its trailing slash", async () => {
    const response = await fetch(`${base}/help?x=1`, { redirect: "manual" });
    expect(response.status).toBe(301);
    expect(response.headers.get("location")).toBe("/help/?x=1");
  });

  it("answers misses with the 404 page", async () => {
    const response = await fetch(`${base}/projects/none/missing/`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Custom 404");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
  });

  it("serves attachments as downloads", async () => {
    const response = await fetch(`${base}/attachments/${SHA}/r%C3%A9sum%C3%A9.txt`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(
      "attachment; filename=\"r_sum_.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt",
    );
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toContain("<script>");
  });

  it("finds attachments in the nested layout", async () => {
    const response = await fetch(`${base}/attachments/${NESTED_SHA}/report.pdf`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-length")).toBe("13");
  });

  it("hides attachments without a published marker", async () => {
    const response = await fetch(`${base}/attachments/${DRAFT_SHA}/draft.pdf`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("draft");
  });

  it("rejects unknown or malformed attachment hashes", async () => {
    const unknown = await fetch(`${base}/attachments/${"0".repeat(64)}/x.pdf`);
    expect(unknown.status).toBe(404);
    const malformed = await fetch(`${base}/attachments/..%2F..%2Fetc/passwd`);
    expect(malformed.status).toBe(404);
  });
});

/** Sends a GET with the path exactly as given, which `fetch` would normalise first. */
function rawGet(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const sent = request({ host: url.hostname, port: url.port, path }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    sent.on("error", reject);
    sent.end();
  });
}

describe("createSiteServer paths", () => {
  it.each([
    "/../package.json",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2fetc%2fpasswd",
    "//etc/passwd",
  ])("keeps %s inside the site", async (path) => {
    expect(await rawGet(path)).toBe(404);
  });
});

describe("attachmentDisposition", () => {
  it("quotes unsafe characters", () => {
    expect(attachmentDisposition('a"b\\c.pdf')).toBe(
      "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%22b%5Cc.pdf",
    );
  });
});
