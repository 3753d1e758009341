/**
 * Putting a finished build in place of the served site.
 *
 * By default the output path is a symbolic link to a folder under `.build/<name>-builds/` beside
 * it, such as `dist -> .build/dist-builds/20261204T163800Z-1a2b3c4d`. A new build replaces the link
 * with `rename`, which is atomic on POSIX file systems, so a reader always finds either the
 * previous or the new site and never a missing folder. The previous build is kept, so that a page
 * opened just before the swap can still load its files from it, and older builds are removed.
 * Copy such a site with `cp -rL dist/ target/`, which follows the link.
 *
 * With `plainFolder`, the output path is a plain folder swapped in with two renames instead. For a
 * few milliseconds between them the folder does not exist, which suits CI and copies but not a
 * site in service.
 */
import { lstat, readdir, readlink, rename, rm, symlink } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";

/** Suffix of a build folder that is still being written. */
export const PARTIAL_SUFFIX = ".partial";

/** Folder of the builds behind the link at `outDir`. */
export function buildsDirOf(outDir: string): string {
  return join(dirname(outDir), ".build", `${basename(outDir)}-builds`);
}

/** A build id that sorts by start time: `20261204T163800Z-1a2b3c4d`. */
export function newBuildId(now: Date, suffix: string): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${suffix}`;
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * Points the link at `outDir` to `buildDir` with one atomic rename, and returns the folder the
 * link pointed to before, if any. A plain folder at `outDir`, from an older build layout, is
 * first moved under the builds folder, so that one swap leaves a short gap.
 */
export async function publishBuild(outDir: string, buildDir: string): Promise<string | undefined> {
  const parent = dirname(outDir);
  const existing = await lstatOrUndefined(outDir);
  let previous: string | undefined;
  if (existing?.isSymbolicLink()) {
    previous = resolve(parent, await readlink(outDir));
  } else if (existing) {
    previous = join(dirname(buildDir), `${basename(buildDir)}-replaced`);
    await rename(outDir, previous);
  }
  const link = join(parent, `.${basename(outDir)}.link-${basename(buildDir)}`);
  await rm(link, { force: true });
  await symlink(relative(parent, buildDir), link, "dir");
  await rename(link, outDir);
  return previous;
}

/**
 * Removes every finished build under `buildsDir` except the folders in `keep`. Folders still
 * being written (`.partial`) are left alone, because another process may be writing them.
 */
export async function removeOldBuilds(buildsDir: string, keep: string[]): Promise<string[]> {
  // A `.partial` folder left by a killed build goes at the start of the next build (leftovers.ts).
  const kept = new Set(keep.map((path) => resolve(path)));
  const removed: string[] = [];
  for (const name of await readdir(buildsDir)) {
    const path = join(buildsDir, name);
    if (name.endsWith(PARTIAL_SUFFIX) || kept.has(path)) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}

/** Replaces the plain folder `outDir` with `stagingDir` by two renames. */
export async function swapFolder(
  outDir: string,
  stagingDir: string,
  suffix: string,
): Promise<void> {
  const previous = join(dirname(outDir), `.${basename(outDir)}.previous-${suffix}`);
  const hadPrevious = (await lstatOrUndefined(outDir)) !== undefined;
  if (hadPrevious) await rename(outDir, previous);
  await rename(stagingDir, outDir);
  if (hadPrevious) await rm(previous, { recursive: true, force: true });
}
