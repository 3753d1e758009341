/**
 * `npm start`: prepares and serves the catalogue on a fresh clone.
 *
 * 1. With no cards in CONTENT_DIR (default `content/`), generates the sample catalogue.
 * 2. Builds the site when `dist/` is missing or older than the newest card.
 * 3. Serves `dist/` and the attachments on http://HOST:PORT (default 127.0.0.1:4321), with the
 *    editor API and the dashboards (built on start when stale) in the same process.
 */
import { join, resolve } from "node:path";
import { serve } from "@hono/node-server";
import pino from "pino";
import { REPOSITORY_ROOT } from "../pipeline/build/build.ts";
import { createPlatform, loadDashboard } from "./dashboard.ts";
import { ensureCatalogue, prepareSite, rebuildSite } from "./start-steps.ts";

const logger = pino({ name: "site" });
const contentDir = resolve(process.env.CONTENT_DIR ?? join(REPOSITORY_ROOT, "content"));
const distDir = resolve(process.env.DIST_DIR ?? join(REPOSITORY_ROOT, "dist"));
const mediaDir = resolve(process.env.MEDIA_DIR ?? join(REPOSITORY_ROOT, "var", "media"));
const attachmentsDir = resolve(process.env.ATTACHMENTS_DIR ?? mediaDir);
const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 4321);

await ensureCatalogue(contentDir, logger);
await prepareSite({ contentDir, distDir, mediaDir, logger });

// Editor API under /api/, dashboards under /account/, /dashboard/ and /review/, see
// scripts/dashboard.ts. Without SMTP_URL, mails go to OUTBOX_DIR (default var/outbox).
const platform = await createPlatform({
  env: { PUBLIC_URL: `http://${host}:${port}`, ...process.env },
  contentDir,
  distDir,
  attachmentsDir,
  logger,
  dashboard: await loadDashboard(logger),
  rebuild: () => rebuildSite({ contentDir, distDir, mediaDir, logger }),
});
platform.queue.start();
const app = platform.app;
const server = serve({ fetch: app.fetch, hostname: host, port }, (address) => {
  logger.info({ url: `http://${host}:${address.port}/` }, "serving the catalogue");
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    logger.info({ signal }, "stopping");
    server.close(() => platform.close().then(() => process.exit(0)));
  });
}
