/**
 * The dashboards in the `npm start` process: builds the dashboard bundle of
 * `astro.dashboard.config.mjs` when it is missing or older than its sources, loads its
 * @astrojs/node middleware handler, and mounts it on the site server's Hono app for the
 * `/account/`, `/dashboard/` and `/review/` paths. Pages call the editor API in process through
 * `Astro.locals.editorApi`.
 */
import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { HttpBindings } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Hono } from "hono";
import type { Logger } from "pino";
import { loadConfig } from "../editor-api/config.ts";
import {
  createEditorialApp,
  type EditorialServices,
  prepareEditorial,
} from "../editor-api/editorial.ts";
import type { EditorDeps } from "../editor-api/http/context.ts";
import { alertHelpdesk } from "../editor-api/publish/helpdesk-alert.ts";
import { markPublishedAttachments } from "../editor-api/publish/published-attachments.ts";
import {
  createRebuildQueue,
  type QueueOptions,
  type RebuildJob,
  rebuildTimingFromEnv,
} from "../editor-api/publish/queue.ts";
import { createEditorDeps } from "../editor-api/server.ts";
import { createUploadStore } from "../editor-api/uploads/store.ts";
import { writeFileAtomic } from "../pipeline/card/index.ts";
import type { DashboardLocals } from "../site/dashboard/lib/locals.ts";
import { createSiteServer } from "./site-server.ts";

const REPOSITORY_ROOT = resolve(import.meta.dirname, "..");

/**
 * Folder of the dashboard builds. Each build gets a folder of its own (`server/entry.mjs` is the
 * handler, `client/` the assets), and the file `current` names the newest. A running server keeps
 * its folder while another process (`npm start`, a test run) builds a newer one beside it.
 */
export const DASHBOARD_BUILDS_DIR = join(REPOSITORY_ROOT, ".build", "dashboard");

/** Builds kept on disk, newest first; older ones are removed after a build. */
const KEPT_BUILDS = 3;

/** Sources whose change makes the bundle stale. */
const DASHBOARD_SOURCES = [
  "astro.dashboard.config.mjs",
  "site/dashboard",
  "site/layouts",
  "site/integrations",
  "public",
];

/** Path prefixes that the dashboard pages serve. */
export const DASHBOARD_PREFIXES = ["/account", "/dashboard", "/review"];

export interface DashboardLogger {
  info: (object: object, message?: string) => void;
  error: (object: object, message?: string) => void;
}

/** The @astrojs/node handler in middleware mode: Node request, response, next and locals. */
export type DashboardHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
  locals: DashboardLocals,
) => Promise<void>;

async function newestTime(path: string): Promise<number> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) {
    newest = Math.max(newest, await newestTime(join(path, entry)));
  }
  return newest;
}

/** Returns the folder of the current build, or undefined when there is none. */
export async function currentBuild(): Promise<string | undefined> {
  let name: string;
  try {
    name = (await readFile(join(DASHBOARD_BUILDS_DIR, "current"), "utf8")).trim();
  } catch {
    return undefined;
  }
  const folder = join(DASHBOARD_BUILDS_DIR, name);
  try {
    await stat(join(folder, "server", "entry.mjs"));
    return folder;
  } catch {
    return undefined;
  }
}

/** True when there is no build or a source changed after the current one was built. */
export async function dashboardBuildIsStale(): Promise<boolean> {
  const folder = await currentBuild();
  if (!folder) return true;
  const builtAt = (await stat(join(folder, "server", "entry.mjs"))).mtimeMs;
  for (const source of DASHBOARD_SOURCES) {
    if ((await newestTime(join(REPOSITORY_ROOT, source))) > builtAt) return true;
  }
  return false;
}

function runAstroBuild(outDir: string, cacheDir: string): Promise<void> {
  const astro = join(REPOSITORY_ROOT, "node_modules", "astro", "bin", "astro.mjs");
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [astro, "build", "--config", "astro.dashboard.config.mjs", "--silent"],
      {
        cwd: REPOSITORY_ROOT,
        env: { ...process.env, DASHBOARD_OUT_DIR: outDir, DASHBOARD_CACHE_DIR: cacheDir },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) {
        resolvePromise();
        return;
      }
      reject(
        new Error(
          `Dashboard build (astro build --config astro.dashboard.config.mjs) failed with exit code ${code}:\n${output.slice(-4000)}`,
        ),
      );
    });
  });
}

/**
 * Runs `astro build --config astro.dashboard.config.mjs` into a new build folder, makes it the
 * current build and removes old builds. Returns the folder; rejects with Astro's output on failure.
 */
export async function buildDashboard(): Promise<string> {
  const name = `build-${Date.now()}-${process.pid}`;
  const folder = join(DASHBOARD_BUILDS_DIR, name);
  const cacheDir = join(DASHBOARD_BUILDS_DIR, `${name}.cache`);
  await mkdir(DASHBOARD_BUILDS_DIR, { recursive: true });
  try {
    await runAstroBuild(folder, cacheDir);
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
  await writeFileAtomic(join(DASHBOARD_BUILDS_DIR, "current"), `${name}\n`);

  // Names start with the build time, so sorting puts the newest last.
  const builds = (await readdir(DASHBOARD_BUILDS_DIR))
    .filter((entry) => /^build-\d+-\d+$/.test(entry))
    .sort((left, right) => Number(left.split("-")[1]) - Number(right.split("-")[1]));
  for (const old of builds.slice(0, -KEPT_BUILDS)) {
    if (old !== name) await rm(join(DASHBOARD_BUILDS_DIR, old), { recursive: true, force: true });
  }
  return folder;
}

export interface LoadedDashboard {
  handler: DashboardHandler;
  /** Built scripts, styles and vendor files, served under `/_dashboard/`. */
  clientDir: string;
}

/** Builds the bundle when stale, then loads the handler of the current build. */
export async function loadDashboard(logger: DashboardLogger): Promise<LoadedDashboard> {
  let folder = await currentBuild();
  if (!folder || (await dashboardBuildIsStale())) {
    logger.info({ folder: DASHBOARD_BUILDS_DIR }, "building the dashboards");
    folder = await buildDashboard();
    logger.info({ folder }, "dashboards built");
  }
  const entry = pathToFileURL(join(folder, "server", "entry.mjs")).href;
  const module = (await import(entry)) as { handler: DashboardHandler };
  return { handler: module.handler, clientDir: join(folder, "client") };
}

/**
 * Content-Security-Policy of the dashboards: everything from this site only. `blob:` images are
 * the logo preview made from the chosen file before it is uploaded.
 */
const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export interface MountOptions {
  dashboard: LoadedDashboard;
  /** The editor API app; its `request` runs a request in process. */
  editorApi: Pick<Hono, "request">;
  singleSignOn: boolean;
}

function isDashboardPath(path: string): boolean {
  return DASHBOARD_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * Adds the dashboard routes to a Hono app served by `@hono/node-server`, whose Node request and
 * response the handler writes to directly. Mount it before the static files.
 */
export function mountDashboard(app: Hono, options: MountOptions): void {
  const { dashboard, editorApi, singleSignOn } = options;
  app.use("/_dashboard/*", serveStatic({ root: dashboard.clientDir }));

  app.use("*", async (c, next) => {
    if (!isDashboardPath(c.req.path)) return next();
    const { incoming, outgoing } = c.env as HttpBindings;
    const locals: DashboardLocals = {
      editorApi: async (path, init) => editorApi.request(path, init, { incoming }),
      singleSignOn,
    };
    // Astro writes the response itself, and Node merges these headers into it.
    outgoing.setHeader("content-security-policy", DASHBOARD_CSP);
    outgoing.setHeader("x-content-type-options", "nosniff");
    outgoing.setHeader("x-frame-options", "DENY");
    outgoing.setHeader("referrer-policy", "strict-origin-when-cross-origin");
    outgoing.setHeader("cache-control", "no-store");
    let unmatched = false;
    await dashboard.handler(
      incoming,
      outgoing,
      () => {
        unmatched = true;
      },
      locals,
    );
    if (!unmatched) return RESPONSE_ALREADY_SENT;
    for (const name of outgoing.getHeaderNames()) outgoing.removeHeader(name);
    return next();
  });
}

export interface PlatformOptions {
  /** Editor API settings (PUBLIC_URL, DATABASE_PATH, SMTP_URL, ...), as in docs/editor-api.md. */
  env: Record<string, string | undefined>;
  contentDir: string;
  distDir: string;
  /** Uploaded logos and attachments; the site serves them under `/attachments/`. */
  attachmentsDir: string;
  logger: Logger;
  dashboard: LoadedDashboard;
  /** Clock of the editor API; the system clock by default. */
  clock?: () => Date;
  /** Runs a rebuild job of the queue; the queue polls only after `queue.start()`. */
  rebuild: (job: RebuildJob) => Promise<void>;
  /** Timing of the rebuild queue (debounce window, poll interval, retries); its defaults otherwise. */
  queueTiming?: Pick<
    QueueOptions,
    "debounceMs" | "maxDelayMs" | "pollMs" | "backoffMs" | "maxAttempts" | "leaseMs"
  >;
}

/**
 * Composes the whole platform on one Hono app: the editor API with the editorial modules under
 * `/api/`, the dashboards, and the static site with the attachments for every other path.
 * Fills the project index from the content folder first. Throws `ConfigError` on wrong settings.
 */
export async function createPlatform(options: PlatformOptions) {
  const { logger } = options;
  const config = loadConfig(options.env);
  const base = createEditorDeps(config, logger);
  const deps: EditorDeps = options.clock ? { ...base, clock: options.clock } : base;
  const queue = createRebuildQueue({
    ...(options.queueTiming ?? rebuildTimingFromEnv(options.env)),
    db: deps.db,
    run: options.rebuild,
    notify: alertHelpdesk(deps),
    logger,
    owner: `start-${process.pid}`,
    now: () => deps.clock().getTime(),
  });
  const services: EditorialServices = {
    contentDir: options.contentDir,
    uploads: createUploadStore({ root: options.attachmentsDir, logger }),
    queue,
  };
  await prepareEditorial(deps, services);
  // Results published before approvals wrote the public marker get it now; the site server
  // serves only marked attachment files.
  const marked = await markPublishedAttachments(options.contentDir, services.uploads);
  if (marked.missing.length > 0) {
    logger.warn({ missing: marked.missing.length }, "published attachments missing from the store");
  }
  const editorApp = createEditorialApp(deps, services);
  const app = createSiteServer({
    distDir: options.distDir,
    attachmentsDir: options.attachmentsDir,
    logger,
    mount: (site) => {
      site.route("/", editorApp);
      mountDashboard(site, {
        dashboard: options.dashboard,
        editorApi: editorApp,
        singleSignOn: config.oidc !== undefined,
      });
    },
  });
  return {
    app,
    deps,
    queue,
    async close() {
      await queue.stop();
      deps.db.close();
    },
  };
}
