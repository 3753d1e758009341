/**
 * `npm start`: prepares and serves the catalogue on a fresh clone.
 *
 * 1. With no cards in CONTENT_DIR (default `content/`), generates the sample catalogue.
 * 2. Builds the site when `dist/` is missing or older than the newest card.
 * 3. Serves `dist/` and the attachments on http://HOST:PORT (default 127.0.0.1:4321).
 */
import { join, resolve } from "node:path";
import { serve } from "@hono/node-server";
import pino from "pino";
import { REPOSITORY_ROOT } from "../pipeline/build/build.ts";
import { createSiteServer } from "./site-server.ts";
import { ensureCatalogue, prepareSite } from "./start-steps.ts";

const logger = pino({ name: "site" });
const contentDir = resolve(process.env.CONTENT_DIR ?? join(REPOSITORY_ROOT, "content"));
const distDir = resolve(process.env.DIST_DIR ?? join(REPOSITORY_ROOT, "dist"));
const mediaDir = resolve(process.env.MEDIA_DIR ?? join(REPOSITORY_ROOT, "var", "media"));
const attachmentsDir = resolve(process.env.ATTACHMENTS_DIR ?? mediaDir);
const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 4321);

await ensureCatalogue(contentDir, logger);
await prepareSite({ contentDir, distDir, mediaDir, logger });

const app = createSiteServer({ distDir, attachmentsDir, logger });
const server = serve({ fetch: app.fetch, hostname: host, port }, (address) => {
  logger.info({ url: `http://${host}:${address.port}/` }, "serving the catalogue");
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    logger.info({ signal }, "stopping");
    server.close(() => process.exit(0));
  });
}
