import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { rendererKey } from "./renderer.ts";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "renderer-key-"));
  await mkdir(join(root, "site", "pages"), { recursive: true });
  await mkdir(join(root, "site", "search"), { recursive: true });
  await writeFile(join(root, "astro.config.mjs"), "export default {};\n");
  await writeFile(join(root, "site", "pages", "index.astro"), "<h1>Home</h1>\n");
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("rendererKey", () => {
  test("stays for unchanged sources", async () => {
    const key = await rendererKey(root, "http://127.0.0.1:4321");
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(await rendererKey(root, "http://127.0.0.1:4321")).toBe(key);
  });

  test("changes with a page source", async () => {
    const key = await rendererKey(root, "http://127.0.0.1:4321");
    await writeFile(join(root, "site", "pages", "index.astro"), "<h1>Start</h1>\n");
    expect(await rendererKey(root, "http://127.0.0.1:4321")).not.toBe(key);
  });

  test("changes with the site URL", async () => {
    const key = await rendererKey(root, "http://127.0.0.1:4321");
    expect(await rendererKey(root, "https://results.example.eu")).not.toBe(key);
  });

  test("ignores tests and search sources", async () => {
    const key = await rendererKey(root, "http://127.0.0.1:4321");
    await writeFile(join(root, "site", "pages", "index.test.ts"), "export {};\n");
    await writeFile(join(root, "site", "search", "main.ts"), "export {};\n");
    expect(await rendererKey(root, "http://127.0.0.1:4321")).toBe(key);
  });
});
