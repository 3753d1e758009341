/**
 * The page renderer of incremental publication: the public site built once more as an on-demand
 * bundle (`astro.render.config.mjs`, @astrojs/node in middleware mode) and loaded into this
 * process, so that single pages render in milliseconds without an `astro build` of the whole
 * catalogue.
 *
 * A bundle is kept per hash of the site sources and the site URL (`rendererKey`) under
 * `.build/renderer/<key>/`, and built again only when that hash changes. Pages render with the
 * same components, options and hashed `/_astro/` file names as the static build, and the
 * incremental publication test compares the two outputs byte for byte.
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { IndexEntry } from "./catalogue-index.ts";

/**
 * Files and folders, relative to the repository root, whose content shapes the rendered pages.
 * A change to any of them gives a new renderer key, so neither a stale bundle nor a live site
 * built from other sources is used for an incremental publication. `site/search/` is left out
 * because only the search page imports it, and an incremental publication never renders that
 * page.
 */
export const SITE_SOURCES = [
  "astro.config.mjs",
  "astro.render.config.mjs",
  "package-lock.json",
  "public",
  "site/components",
  "site/integrations",
  "site/layouts",
  "site/lib",
  "site/pages",
  "pipeline/card",
  "pipeline/build/catalogue-index.ts",
];

/**
 * Renderer bundles kept on disk, because a running process may still load page chunks from older
 * ones.
 */
const KEPT_BUNDLES = 3;

/** Pages rendered at the same time. */
const RENDER_CONCURRENCY = 4;

/** Error raised when the renderer bundle cannot be built or a page does not render. */
export class RenderError extends Error {
  readonly code: "RENDERER_BUILD_FAILED" | "PAGE_RENDER_FAILED";
  constructor(code: RenderError["code"], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RenderError";
    this.code = code;
  }
}

async function listFiles(root: string, path: string): Promise<string[]> {
  const absolute = join(root, path);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  if (!info.isDirectory()) return [path];
  const names = await readdir(absolute, { recursive: true, withFileTypes: true });
  return names
    .filter((entry) => entry.isFile() && !entry.name.endsWith(".test.ts"))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
}

/**
 * Hashes the site sources under `root` and the site URL into a key of 16 hex digits. Tests
 * beside the sources are left out because they never reach a page.
 */
export async function rendererKey(root: string, siteUrl: string): Promise<string> {
  const hash = createHash("sha256");
  hash.update(`site-url\0${siteUrl}\0`);
  for (const source of SITE_SOURCES) {
    for (const file of await listFiles(root, source)) {
      hash.update(`${file}\0`);
      hash.update(await readFile(join(root, file)));
      hash.update("\0");
    }
  }
  return hash.digest("hex").slice(0, 16);
}

function runRendererBuild(root: string, outDir: string, siteUrl: string): Promise<void> {
  const astroBin = join(root, "node_modules", "astro", "bin", "astro.mjs");
  const args = [astroBin, "build", "--config", "astro.render.config.mjs", "--root", root];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: {
        ...process.env,
        RENDER_OUT_DIR: outDir,
        RENDER_CACHE_DIR: `${outDir}.cache`,
        SITE_URL: siteUrl,
        ASTRO_TELEMETRY_DISABLED: "1",
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-8000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) return resolvePromise();
      reject(
        new RenderError(
          "RENDERER_BUILD_FAILED",
          `astro build --config astro.render.config.mjs exited with code ${code}. Fix the site sources. Its last output:\n${output}`,
        ),
      );
    });
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the folder of the renderer bundle for `key`, building it first when it is missing. The
 * bundle is built in a temporary folder and renamed into place, so two processes building the
 * same key at once both end with a complete bundle.
 */
export async function ensureRendererBundle(
  root: string,
  key: string,
  siteUrl: string,
): Promise<string> {
  const bundlesDir = join(root, ".build", "renderer");
  const folder = join(bundlesDir, key);
  if (await exists(join(folder, "server", "entry.mjs"))) return folder;

  const partial = `${folder}.partial-${randomBytes(4).toString("hex")}`;
  try {
    await runRendererBuild(root, partial, siteUrl);
    try {
      await rename(partial, folder);
    } catch (error) {
      // Another process renamed its bundle of the same key into place first.
      if (!(await exists(join(folder, "server", "entry.mjs")))) throw error;
    }
  } finally {
    await rm(partial, { recursive: true, force: true });
    await rm(`${partial}.cache`, { recursive: true, force: true });
  }
  await removeOldBundles(bundlesDir, key);
  return folder;
}

/** Age after which a partial bundle folder is taken as left by a killed build. */
const PARTIAL_BUNDLE_MAX_AGE_MS = 60 * 60_000;

async function removeOldBundles(bundlesDir: string, keep: string): Promise<void> {
  const bundles: { name: string; time: number }[] = [];
  for (const name of await readdir(bundlesDir)) {
    let time: number;
    try {
      time = (await stat(join(bundlesDir, name))).mtimeMs;
    } catch {
      continue; // Removed by another process meanwhile.
    }
    if (name.includes(".partial-") && Date.now() - time > PARTIAL_BUNDLE_MAX_AGE_MS) {
      await rm(join(bundlesDir, name), { recursive: true, force: true });
      continue;
    }
    if (!/^[0-9a-f]{16}$/.test(name) || name === keep) continue;
    bundles.push({ name, time });
  }
  bundles.sort((a, b) => b.time - a.time);
  for (const old of bundles.slice(KEPT_BUNDLES - 1)) {
    await rm(join(bundlesDir, old.name), { recursive: true, force: true });
  }
}

/** The @astrojs/node handler in middleware mode. */
type NodeHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
  locals: object,
) => Promise<void>;

/**
 * Handlers loaded into this process, by bundle folder. Keeping them costs no extra memory, because
 * Node does not unload an imported ES module.
 */
const loadedHandlers = new Map<string, Promise<NodeHandler>>();

function loadHandler(folder: string): Promise<NodeHandler> {
  let handler = loadedHandlers.get(folder);
  if (!handler) {
    const entry = pathToFileURL(join(folder, "server", "entry.mjs")).href;
    handler = import(entry).then((module: { handler: NodeHandler }) => module.handler);
    loadedHandlers.set(folder, handler);
  }
  return handler;
}

/** A rendered page: its site path and the bytes the static build would write for it. */
export interface RenderedPage {
  url: string;
  body: Buffer;
}

/**
 * Renders the site paths `urls` (such as `/` or `/feed.xml`) with the bundle in `folder`, each
 * page reading the catalogue `catalogue` (sorted by page path). The handler is served on
 * 127.0.0.1 on a free port for the time of the call. Raises a `RenderError` naming the first
 * page that does not return status 200.
 */
export async function renderPages(
  folder: string,
  urls: string[],
  catalogue: IndexEntry[],
): Promise<RenderedPage[]> {
  const handler = await loadHandler(folder);
  const locals = { catalogue };
  const server = createServer((request, response) => {
    handler(
      request,
      response,
      () => {
        response.statusCode = 404;
        response.end();
      },
      locals,
    ).catch((error: unknown) => {
      response.destroy(error as Error);
    });
  });
  await new Promise<void>((resolvePromise) => server.listen(0, "127.0.0.1", resolvePromise));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const pages: RenderedPage[] = new Array(urls.length);
    let next = 0;
    async function worker(): Promise<void> {
      for (let position = next++; position < urls.length; position = next++) {
        const url = urls[position];
        let response: Response;
        try {
          response = await fetch(new URL(url, origin));
        } catch (error) {
          throw new RenderError("PAGE_RENDER_FAILED", `rendering ${url} failed: ${error}`, {
            cause: error,
          });
        }
        const body = Buffer.from(await response.arrayBuffer());
        if (response.status !== 200) {
          throw new RenderError(
            "PAGE_RENDER_FAILED",
            `rendering ${url} returned HTTP ${response.status}. A full build renders the catalogue as it is.`,
          );
        }
        pages[position] = { url, body };
      }
    }
    await Promise.all(Array.from({ length: RENDER_CONCURRENCY }, () => worker()));
    return pages;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
  }
}
