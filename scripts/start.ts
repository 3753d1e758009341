/**
 * `npm start`: prepares and serves the catalogue on a fresh clone.
 *
 * 0. Validates every setting (scripts/start-config.ts), checks that HOST:PORT is free and that
 *    the editor database opens. A wrong setting prints one line per variable and exits with
 *    code 2 before any other work.
 * 1. With no cards in CONTENT_DIR (default `content/`), generates the sample catalogue.
 * 2. Builds the site when `dist/` is missing or older than the newest card.
 * 3. Serves `dist/` and the attachments on http://HOST:PORT (default 127.0.0.1:4321), with the
 *    editor API and the dashboards (built on start when stale) in the same process.
 *
 * SITE_URL (the address in the sitemap, the feed and JSON-LD) and the editor's PUBLIC_URL default
 * to each other, and to http://HOST:PORT when both are unset.
 *
 * With IMPORT_URLS set, the exports are imported once a day at IMPORT_SCHEDULE (UTC), and a
 * rebuild is queued when cards changed (pipeline/schedule/).
 *
 * `GET /healthz` and `GET /readyz` report liveness and readiness (scripts/ops/health.ts), and
 * every request is logged as one JSON line (scripts/ops/request-log.ts).
 *
 * SIGTERM, SIGINT and SIGHUP stop the server gracefully (scripts/ops/shutdown.ts): no new
 * connections, running requests and the running rebuild finish within SHUTDOWN_GRACE_SECONDS,
 * then the process exits with 0, or with 1 when the grace period ran out.
 *
 * npm 11 (@npmcli/run-script) forwards SIGINT and SIGTERM, not SIGHUP, to its child. That child
 * is `sh -c "node scripts/start.ts"`, and sh exits on SIGTERM without passing it on. So under
 * npm this process also stops when its parent exits.
 */
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import pino from "pino";
import { ConfigError } from "../editor-api/config.ts";
import type { RebuildJob } from "../editor-api/publish/queue.ts";
import { REPOSITORY_ROOT } from "../pipeline/build/build.ts";
import { removeStaleCardTempFiles } from "../pipeline/build/temp-files.ts";
import { createDailyScheduler } from "../pipeline/schedule/scheduler.ts";
import type { ScheduledImportSettings } from "../pipeline/schedule/settings.ts";
import { createCiRebuildRunner, gitTopLevel } from "./ops/ci-rebuild.ts";
import { mountHealthRoutes } from "./ops/health.ts";
import { alertHelpdeskOfImport } from "./ops/import-alert.ts";
import { requestLog } from "./ops/request-log.ts";
import { createShutdown, exitOnSignals } from "./ops/shutdown.ts";
import { loadStartSettings, type StartSettings } from "./start-config.ts";

/** Exit code for a wrong setting, as with the editor API alone. */
const EXIT_SETTINGS = 2;

function exitWithProblems(problems: string[]): never {
  process.stderr.write(`${problems.join("\n")}\n`);
  process.exit(EXIT_SETTINGS);
}

/** Returns the problem line for a failed listen, naming HOST or PORT when the error code allows. */
function listenProblem(error: NodeJS.ErrnoException, host: string, port: number): string {
  if (error.code === "EADDRINUSE")
    return `PORT: port ${port} on ${host} is in use; set PORT to a free port`;
  if (error.code === "EACCES")
    return `PORT: port ${port} on ${host} needs privileges (EACCES); set PORT to 1024 or above`;
  if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND") {
    return `HOST: ${host} is not an address of this machine (${error.code}); set HOST to one, such as 127.0.0.1`;
  }
  return `HOST:PORT ${host}:${port}: ${error.message}`;
}

/** Binds HOST:PORT once and releases it, so that a busy port stops the start before any work. */
function checkPortIsFree(host: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolvePromise) => {
    const probe = createServer();
    probe.once("error", (error) => resolvePromise(error as NodeJS.ErrnoException));
    probe.listen({ host, port, exclusive: true }, () =>
      probe.close(() => resolvePromise(undefined)),
    );
  });
}

let settings: StartSettings;
try {
  settings = loadStartSettings(process.env, REPOSITORY_ROOT);
} catch (error) {
  if (error instanceof ConfigError) exitWithProblems(error.problems);
  throw error;
}
const { host, port, siteUrl, contentDir, distDir, mediaDir, attachmentsDir } = settings;
const busy = await checkPortIsFree(host, port);
if (busy) exitWithProblems([listenProblem(busy, host, port)]);

// In webhook mode a rebuild job commits and pushes the content, then requests a CI build, so the
// content folder must be in a git clone.
let repoDir: string | undefined;
if (settings.ciRebuild?.gitRemote) {
  repoDir = gitTopLevel(contentDir);
  if (!repoDir) {
    exitWithProblems([
      `CONTENT_GIT_REMOTE: CONTENT_DIR ${contentDir} is not inside a git working tree (got "${settings.ciRebuild.gitRemote}"); clone the repository and set CONTENT_DIR to its content folder, or unset CONTENT_GIT_REMOTE`,
    ]);
  }
}

// A database that cannot be opened stops the start with one line, before the sample catalogue.
const { checkDatabase, databaseSetting } = await import("./ops/database-check.ts");
const databaseFailure = checkDatabase(
  databaseSetting(settings.editorEnv),
  settings.editor.databasePath,
);
if (databaseFailure) exitWithProblems([databaseFailure]);

// The platform's modules load only after the checks, so that a wrong setting fails fast.
const { createPlatform, loadDashboard } = await import("./dashboard.ts");
const { runScheduledImport } = await import("../pipeline/schedule/run.ts");
const { ensureCatalogue, exitOnStartError, prepareSite, rebuildSite } = await import(
  "./start-steps.ts"
);
const logger = pino({ name: "site" });
// The build reads SITE_URL when `prepareSite` gives no address of its own.
process.env.SITE_URL = siteUrl;
const staleTempFiles = await removeStaleCardTempFiles(contentDir);
if (staleTempFiles.length > 0) {
  logger.info(
    { removed: staleTempFiles.length },
    "removed temporary card files left by killed imports",
  );
}
await ensureCatalogue(contentDir, logger).catch(exitOnStartError);
// Created before the first upload, so that readiness can check that it is writable.
await mkdir(attachmentsDir, { recursive: true });
await prepareSite({ contentDir, distDir, mediaDir, logger, siteUrl });

let runCiRebuild: ((job: RebuildJob) => Promise<void>) | undefined;

// Editor API under /api/, dashboards under /account/, /dashboard/ and /review/, see
// scripts/dashboard.ts. Without SMTP_URL, mails go to OUTBOX_DIR (default var/outbox).
const platform = await createPlatform({
  env: settings.editorEnv,
  contentDir,
  distDir,
  attachmentsDir,
  logger,
  dashboard: await loadDashboard(logger),
  rebuild: (job) =>
    runCiRebuild
      ? runCiRebuild(job)
      : rebuildSite({ contentDir, distDir, mediaDir, logger, siteUrl }, job.cardIds),
});
if (settings.ciRebuild) {
  runCiRebuild = createCiRebuildRunner({
    settings: settings.ciRebuild,
    contentDir,
    repoDir,
    db: platform.deps.db,
    logger,
  });
  logger.info({ gitPush: repoDir !== undefined }, "rebuilds are sent to CI by webhook");
}

const shutdown = createShutdown({
  logger,
  graceMs: settings.shutdownGraceMs,
  release: () => platform.deps.db.close(),
});
shutdown.addDrainable({ name: "rebuild", drain: () => platform.queue.stop() });
const importScheduler = settings.scheduledImport
  ? scheduleImport(settings.scheduledImport)
  : undefined;
if (importScheduler) {
  shutdown.addDrainable({ name: "scheduled import", drain: () => importScheduler.stop() });
}
// Health checks, the access log and the request count wrap the platform's app, so that they
// cover the API, the dashboards and the static files alike.
const app = new Hono();
app.use("*", requestLog(logger));
app.use("*", shutdown.trackRequests);
mountHealthRoutes(app, {
  pingDatabase: () => void platform.deps.db.prepare("SELECT 1").get(),
  contentDir,
  attachmentsDir,
  distDir,
  isAccepting: shutdown.isAccepting,
  logger,
});
app.all("*", (c) => platform.app.fetch(c.req.raw, c.env));

const server = serve({ fetch: app.fetch, hostname: host, port }, (address) => {
  logger.info({ url: `http://${host}:${address.port}/` }, "serving the catalogue");
  // The rebuild worker and the import timer start only once the port is ours.
  platform.queue.start();
  importScheduler?.start();
  const nextImport = importScheduler?.nextRun()?.toISOString();
  if (nextImport) logger.info({ nextImport }, "scheduled import armed");
});
shutdown.attachServer(server);
server.once("error", async (error: NodeJS.ErrnoException) => {
  // Another process took the port after the check.
  await platform.close();
  exitWithProblems([listenProblem(error, host, port)]);
});

/** Creates the daily import timer: imports IMPORT_URLS and queues a rebuild when cards changed. */
function scheduleImport(importSettings: ScheduledImportSettings) {
  const importLogger = logger.child({ component: "scheduled-import" });
  return createDailyScheduler({
    dailyAt: importSettings.dailyAt,
    run: () =>
      runScheduledImport({
        settings: importSettings,
        contentDir,
        logger: importLogger,
        requestRebuild: ({ reason }) => platform.queue.request({ reason }),
        notify: alertHelpdeskOfImport(platform.deps),
      }),
    onError: (error) => importLogger.error({ err: error }, "scheduled import crashed"),
  });
}

/** Interval between checks that the parent `sh` of `npm start` still runs, in milliseconds. */
const PARENT_CHECK_MS = 1_000;

exitOnSignals(shutdown, logger);
// Only under npm, because `node scripts/start.ts &` run by a script must keep serving after the
// script exits.
if (process.env.npm_lifecycle_event === "start") {
  const parent = process.ppid;
  const parentCheck = setInterval(() => {
    if (process.ppid !== parent) {
      void shutdown.shutdown("parent exited").then((code) => process.exit(code));
    }
  }, PARENT_CHECK_MS);
  parentCheck.unref();
}
