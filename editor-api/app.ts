/**
 * The editor API as a Hono app. `createEditorApp` takes every service it uses (database, clock,
 * mailer, logger, settings), so tests and benchmarks build it around real components.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { emailChangeModule } from "./accounts/email-change.ts";
import { passwordResetModule } from "./accounts/password-reset.ts";
import { registrationModule } from "./accounts/registration.ts";
import { staffModule } from "./accounts/staff.ts";
import { loginModule } from "./auth/login.ts";
import { oidcModule } from "./auth/oidc-routes.ts";
import { loadSession } from "./auth/session-middleware.ts";
import { apiBodyLimit } from "./http/body-limit.ts";
import { clientIpOf } from "./http/client-ip.ts";
import type { EditorDeps, EditorEnv } from "./http/context.ts";
import { csrfProtection } from "./http/csrf.ts";
import { ApiError, errorResponse, storageFullError } from "./http/errors.ts";
import { apiSecureHeaders } from "./http/secure-headers.ts";
import { buildOpenApiDocument } from "./openapi/document.ts";
import type { EditorModule, RouteDoc } from "./openapi/route-doc.ts";

export type { EditorDeps, EditorEnv } from "./http/context.ts";
export type { EditorModule, RouteDoc } from "./openapi/route-doc.ts";

/** Returns the account and session routes. Feature modules are passed to `createEditorApp`. */
export function coreModules(): EditorModule[] {
  return [
    loginModule,
    registrationModule,
    passwordResetModule,
    emailChangeModule,
    staffModule,
    oidcModule(),
  ];
}

const openApiDoc: RouteDoc = {
  method: "get",
  path: "/api/openapi.json",
  summary: "This OpenAPI 3.1 description",
  access: "public",
  success: { status: 200, description: "OpenAPI document" },
  errors: [],
};

/**
 * Builds the app. `modules` adds feature routes (review, uploads, publication) after the core
 * ones; each module's docs go into /api/openapi.json. Every route must start with /api/.
 */
export function createEditorApp(deps: EditorDeps, modules: readonly EditorModule[] = []) {
  const app = new Hono<EditorEnv>();
  const all = [...coreModules(), ...modules];

  app.use("/api/*", async (c, next) => {
    c.set("deps", deps);
    c.set("clientIp", clientIpOf(c, deps.config.trustProxy));
    await next();
  });
  app.use("/api/*", apiSecureHeaders(deps.config.cookieSecure));
  app.use("/api/*", apiBodyLimit());
  app.use("/api/*", loadSession());
  app.use("/api/*", csrfProtection());

  for (const module of all) module.register(app);

  const docs = [openApiDoc, ...all.flatMap((module) => module.docs)];
  const extraStatus = Object.assign({}, ...all.map((module) => module.errorStatus ?? {}));
  const document = buildOpenApiDocument(docs, deps.config.publicUrl.origin, extraStatus);
  app.get(openApiDoc.path, (c) => c.json(document));

  // A catch-all route rather than `notFound`, because a parent app that mounts this one with
  // `route()` keeps its own notFound handler.
  app.all("/api/*", (c) => {
    throw new ApiError(
      "NOT_FOUND",
      `No API route ${c.req.method} ${c.req.path}; see /api/openapi.json.`,
    );
  });

  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    if (error instanceof HTTPException && error.status === 413) {
      return errorResponse(c, new ApiError("PAYLOAD_TOO_LARGE", "Request body is too large."));
    }
    if (error instanceof HTTPException && error.status === 400) {
      return errorResponse(
        c,
        new ApiError("INVALID_INPUT", `Invalid request: ${error.message}. Send a valid JSON body.`),
      );
    }
    deps.logger.error({ err: error, method: c.req.method, path: c.req.path }, "request failed");
    const storageFull = storageFullError(error);
    if (storageFull) return errorResponse(c, storageFull);
    return errorResponse(
      c,
      new ApiError("INTERNAL_ERROR", "The server failed to handle the request; try again later."),
    );
  });

  return app;
}
