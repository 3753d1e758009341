/** The beneficiary routes of a project card as one editor module. */
import type { Hono } from "hono";
import type { EditorEnv } from "../http/context.ts";
import type { EditorModule } from "../openapi/route-doc.ts";
import { cardDocs, registerCardRoutes } from "./card-routes.ts";
import { EDITORIAL_ERROR_STATUS } from "./errors.ts";
import { readDocs, registerReadRoutes } from "./read-routes.ts";
import { registerResultRoutes, resultDocs } from "./result-routes.ts";
import type { EditorialServices } from "./services.ts";
import { registerUploadRoutes, uploadDocs } from "./upload-routes.ts";

export function projectsModule(services: EditorialServices): EditorModule {
  return {
    docs: [...readDocs, ...cardDocs, ...resultDocs, ...uploadDocs],
    errorStatus: EDITORIAL_ERROR_STATUS,
    register(api: Hono<EditorEnv>) {
      registerReadRoutes(api, services);
      registerCardRoutes(api, services);
      registerResultRoutes(api, services);
      registerUploadRoutes(api, services);
    },
  };
}
