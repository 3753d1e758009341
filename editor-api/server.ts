/**
 * Runs the editor API alone on 127.0.0.1:PORT (`node editor-api/server.ts`), and builds it
 * from the environment for the site server, which mounts it with `app.route("/", editorApp)`.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import pino, { type Logger } from "pino";
import { createEditorApp, type EditorModule } from "./app.ts";
import { ConfigError, type EditorConfig, loadConfig, prepareDatabaseFolder } from "./config.ts";
import { openDatabase } from "./db/open.ts";
import type { EditorDeps } from "./http/context.ts";
import { createMailer } from "./mail/mailer.ts";

/** Builds the services from settings: opens and migrates the database, sets up mail. */
export function createEditorDeps(config: EditorConfig, logger: Logger): EditorDeps {
  const db = openDatabase(config.databasePath);
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    outboxDir: config.outboxDir,
    from: `EU project results platform <no-reply@${config.publicUrl.hostname}>`,
    logger,
  });
  return { db, clock: () => new Date(), mailer, logger, config };
}

/**
 * Builds the editor app from environment variables, for mounting in another Hono app.
 * Throws `ConfigError` listing every wrong setting. Call `close()` at shutdown.
 */
export function createEditorAppFromEnv(
  env: Record<string, string | undefined> = process.env,
  options: { logger?: Logger; modules?: EditorModule[] } = {},
) {
  const config = loadConfig(env);
  const logger = options.logger ?? pino({ name: "editor-api" });
  const deps = createEditorDeps(config, logger);
  const app = createEditorApp(deps, options.modules);
  return { app, deps, close: () => deps.db.close() };
}

async function main(): Promise<void> {
  const logger = pino({ name: "editor-api" });
  let editor: ReturnType<typeof createEditorAppFromEnv>;
  try {
    const location = process.env.DATABASE_URL || process.env.DATABASE_PATH || "var/editor.db";
    const folderProblem = prepareDatabaseFolder(location);
    if (folderProblem) throw new ConfigError([folderProblem]);
    editor = createEditorAppFromEnv(process.env, { logger });
  } catch (error) {
    if (error instanceof ConfigError) {
      // One line per wrong setting, without a stack trace.
      process.stderr.write(`${error.problems.join("\n")}\n`);
      process.exit(2);
    }
    throw error;
  }
  const { config } = editor.deps;
  const server = serve(
    { fetch: editor.app.fetch, hostname: "127.0.0.1", port: config.port },
    (info: AddressInfo) => {
      logger.info({ address: info.address, port: info.port }, "editor API started");
    },
  );
  const stop = (signal: string) => {
    logger.info({ signal }, "editor API stopping");
    server.close(() => {
      editor.close();
      logger.info("editor API stopped");
      process.exit(0);
    });
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

if (import.meta.main) await main();
