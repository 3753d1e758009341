/**
 * Liveness and readiness endpoints for load balancers and orchestrators.
 *
 * `GET /healthz` returns 200 while the process runs. `GET /readyz` returns 200 when every check
 * passes and 503 naming the failed checks otherwise: the database responds to a query, the content
 * and attachment folders are writable, a built site is in place, and the server is not stopping.
 * Neither response contains a path, a version or an error message, because both are public.
 */
import { constants } from "node:fs";
import { access, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Hono } from "hono";

export type CheckName = "database" | "content" | "attachments" | "site" | "accepting";

export interface ReadinessOptions {
  /** Runs a trivial query, and throws when the database does not respond. */
  pingDatabase: () => void | Promise<void>;
  contentDir: string;
  attachmentsDir: string;
  /** Served site folder (often a symbolic link to the current build). */
  distDir: string;
  /** False once shutdown has begun, so that balancers stop sending new requests. */
  isAccepting: () => boolean;
  /** Receives one line each time readiness changes, not one per probe. */
  logger?: { warn: (object: object, message?: string) => void; info: (message: string) => void };
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<CheckName, "ok" | "failed">;
}

async function isWritableFolder(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isDirectory()) return false;
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function hasBuiltSite(distDir: string): Promise<boolean> {
  try {
    const site = await realpath(distDir);
    return (await stat(join(site, "index.html"))).isFile();
  } catch {
    return false;
  }
}

async function databaseResponds(ping: ReadinessOptions["pingDatabase"]): Promise<boolean> {
  try {
    await ping();
    return true;
  } catch {
    return false;
  }
}

/** Runs every readiness check and returns the outcome of each. */
export async function checkReadiness(options: ReadinessOptions): Promise<ReadinessReport> {
  const [database, content, attachments, site] = await Promise.all([
    databaseResponds(options.pingDatabase),
    isWritableFolder(options.contentDir),
    isWritableFolder(options.attachmentsDir),
    hasBuiltSite(options.distDir),
  ]);
  const passed: Record<CheckName, boolean> = {
    database,
    content,
    attachments,
    site,
    accepting: options.isAccepting(),
  };
  const checks = Object.fromEntries(
    Object.entries(passed).map(([name, ok]) => [name, ok ? "ok" : "failed"]),
  ) as ReadinessReport["checks"];
  return { ready: Object.values(passed).every(Boolean), checks };
}

/** Adds `/healthz` and `/readyz` to `app`. Register them before authentication and rate limits. */
export function mountHealthRoutes(app: Hono, options: ReadinessOptions): void {
  app.get("/healthz", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ status: "up" });
  });

  let wasReady: boolean | undefined;
  app.get("/readyz", async (c) => {
    c.header("Cache-Control", "no-store");
    const report = await checkReadiness(options);
    const failed = Object.keys(report.checks).filter(
      (name) => report.checks[name as CheckName] === "failed",
    );
    if (report.ready !== wasReady) {
      if (report.ready) options.logger?.info("ready");
      else {
        const { contentDir, attachmentsDir, distDir } = options;
        options.logger?.warn({ failed, contentDir, attachmentsDir, distDir }, "not ready");
      }
      wasReady = report.ready;
    }
    if (report.ready) return c.json({ status: "ready", checks: report.checks });
    return c.json(
      {
        status: "not ready",
        checks: report.checks,
        error: {
          code: "NOT_READY",
          message: `Readiness checks failed: ${failed.join(", ")}. The server log names the folders it checked.`,
        },
      },
      503,
    );
  });
}
