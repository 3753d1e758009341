/**
 * The dashboards in the `npm start` process: builds the dashboard bundle of
 * `astro.dashboard.config.mjs` when it is missing or older than its sources, loads its
 * @astrojs/node middleware handler, and mounts it on the site server's Hono app for the
 * `/account/`, `/dashboard/` and `/review/` paths. Pages call the editor API in process through
 * `Astro.locals.editorApi`.
 */
import { spawn } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
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
import { createRebuildQueue, type RebuildJob } from "../editor-api/publish/queue.ts";
import { createEditorDeps } from "../editor-api/server.ts";
import { createUploadStore } from "../editor-api/uploads/store.ts";
import type { DashboardLocals } from "../site/dashboard/lib/locals.ts";
import { createSiteServer } from "./site-server.ts";

const REPOSITORY_ROOT = resolve(import.meta.dirname, "..");

/** Output folder of the dashboard build; `server/entry.mjs` is the handler, `client/` assets. */
export const DASHBOARD_OUT_DIR = join(REPOSITORY_ROOT, ".build", "dashboard");

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

/** True when the bundle is missing or a source changed after it was built. */
export async function dashboardBuildIsStale(outDir = DASHBOARD_OUT_DIR): Promise<boolean> {
  let builtAt: number;
  try {
    builtAt = (await stat(join(outDir, "server", "entry.mjs"))).mtimeMs;
  } catch {
    return true;
  }
  for (const source of DASHBOARD_SOURCES) {
    if ((await newestTime(join(REPOSITORY_ROOT, source))) > builtAt) return true;
  }
  return false;
}

/** Runs `astro build --config astro.dashboard.config.mjs`; rejects with its output on failure. */
export function buildDashboard(): Promise<void> {
  const astro = join(REPOSITORY_ROOT, "node_modules", "astro", "bin", "astro.mjs");
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [astro, "build", "--config", "astro.dashboard.config.mjs", "--silent"],
      { cwd: REPOSITORY_ROOT, stdio: ["ignore", "pipe", "pipe"] },
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
      if (code === 0) resolvePromise();
      else {
        reject(
          new Error(
            `Dashboard build (astro build --config astro.dashboard.config.mjs) failed with exit code ${code}:\n${output.slice(-4000)}`,
          ),
        );
      }
    });
  });
}

export interface LoadedDashboard {
  handler: DashboardHandler;
  /** Built scripts, styles and vendor files, served under `/_dashboard/`. */
  clientDir: string;
}

/** Builds the bundle when stale, then loads its handler. */
export async function loadDashboard(logger: DashboardLogger): Promise<LoadedDashboard> {
  if (await dashboardBuildIsStale()) {
    logger.info({ outDir: DASHBOARD_OUT_DIR }, "building the dashboards");
    await buildDashboard();
    logger.info({ outDir: DASHBOARD_OUT_DIR }, "dashboards built");
  }
  const entry = pathToFileURL(join(DASHBOARD_OUT_DIR, "server", "entry.mjs")).href;
  const module = (await import(entry)) as { handler: DashboardHandler };
  return { handler: module.handler, clientDir: join(DASHBOARD_OUT_DIR, "client") };
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
    db: deps.db,
    run: options.rebuild,
    notify: (event) => logger.error({ ...event }, "site rebuild failed"),
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
