/**
 * The editorial side of the editor API: beneficiary editing, officer review and helpdesk grants,
 * as editor modules, plus the start-up step that fills the project index.
 */
import { createEditorApp, type EditorModule } from "./app.ts";
import { grantsModule } from "./grants/routes.ts";
import type { EditorDeps } from "./http/context.ts";
import { projectsModule } from "./projects/module.ts";
import {
  ensureEditorialDependencies,
  type SyncReport,
  syncProjectIndex,
} from "./projects/project-index.ts";
import type { EditorialServices } from "./projects/services.ts";
import { reviewModule } from "./review/routes.ts";

export { syncProjectIndex } from "./projects/project-index.ts";
export type { EditorialServices } from "./projects/services.ts";

/** Builds the editorial modules, for `createEditorApp(deps, modules)`. */
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

/** Builds the editor app with the editorial modules after `modules`' own. */
export function createEditorialApp(
  deps: EditorDeps,
  services: EditorialServices,
  modules: readonly EditorModule[] = [],
) {
  return createEditorApp(deps, [...modules, ...editorialModules(services)]);
}
