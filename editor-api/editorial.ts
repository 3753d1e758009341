/**
 * The editorial side of the editor API: beneficiary editing, officer review and helpdesk grants,
 * as editor modules, plus the wiring that serves their uploads past the app's 64 KB body limit.
 */
import { Hono } from "hono";
import { createEditorApp, type EditorModule } from "./app.ts";
import { loadSession } from "./auth/session-middleware.ts";
import { grantsModule } from "./grants/routes.ts";
import { clientIpOf } from "./http/client-ip.ts";
import type { EditorDeps, EditorEnv } from "./http/context.ts";
import { csrfProtection } from "./http/csrf.ts";
import { ApiError, errorResponse } from "./http/errors.ts";
import { apiSecureHeaders } from "./http/secure-headers.ts";
import { projectsModule } from "./projects/module.ts";
import {
  ensureEditorialDependencies,
  type SyncReport,
  syncProjectIndex,
} from "./projects/project-index.ts";
import type { EditorialServices } from "./projects/services.ts";
import { registerUploadRoutes } from "./projects/upload-routes.ts";
import { reviewModule } from "./review/routes.ts";

export { syncProjectIndex } from "./projects/project-index.ts";
export type { EditorialServices } from "./projects/services.ts";

/** The editorial modules, for `createEditorApp(deps, modules)`. */
export function editorialModules(services: EditorialServices): EditorModule[] {
  return [projectsModule(services), reviewModule(services), grantsModule(services)];
}

/**
 * Creates the tables the editorial queries join (contacts feed, audit log, rebuild queue) when
 * missing and fills the project index from the content folder. Run it at start and after imports.
 */
export async function prepareEditorial(
  deps: Pick<EditorDeps, "db" | "clock" | "logger">,
  services: Pick<EditorialServices, "contentDir">,
): Promise<SyncReport> {
  ensureEditorialDependencies(deps.db);
  const report = await syncProjectIndex(services.contentDir, deps.db, deps.clock);
  deps.logger.info(
    { indexed: report.indexed, removed: report.removed, invalid: report.invalid.length },
    "project index synchronised",
  );
  for (const problem of report.invalid) {
    deps.logger.warn({ path: problem.path, reason: problem.message }, "card left out of the index");
  }
  return report;
}

/**
 * Builds the editor app with the editorial modules. The two upload routes are served by an outer
 * app with the same security middleware but without the core app's 64 KB body limit, because
 * uploads stream up to their own limits; every other request goes to the core app.
 * TODO: drop the outer app once the core app exempts upload routes from its body limit.
 */
export function createEditorialApp(
  deps: EditorDeps,
  services: EditorialServices,
  modules: readonly EditorModule[] = [],
) {
  const inner = createEditorApp(deps, [...editorialModules(services), ...modules]);
  const outer = new Hono<EditorEnv>();
  const uploads = new Hono<EditorEnv>();
  uploads.use("*", async (c, next) => {
    c.set("deps", deps);
    c.set("clientIp", clientIpOf(c, deps.config.trustProxy));
    await next();
  });
  uploads.use("*", apiSecureHeaders(deps.config.cookieSecure));
  uploads.use("*", loadSession());
  uploads.use("*", csrfProtection());
  registerUploadRoutes(uploads, services);
  uploads.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    deps.logger.error({ err: error, method: c.req.method, path: c.req.path }, "upload failed");
    return errorResponse(
      c,
      new ApiError("INTERNAL_ERROR", "The server failed to handle the upload; try again later."),
    );
  });

  outer.put("/api/projects/:id/logo", (c) => uploads.fetch(c.req.raw, c.env));
  outer.put("/api/projects/:id/results/:resultId/attachment", (c) =>
    uploads.fetch(c.req.raw, c.env),
  );
  outer.all("*", (c) => inner.fetch(c.req.raw, c.env));
  return outer;
}
