/**
 * Working folders of a build and their clean-up after a crash.
 *
 * Every folder that a build renames into place is staged beside the output, under `.build/`, so
 * that `rename` never crosses a file system (a `TMPDIR` on tmpfs raised EXDEV). A build owns the
 * folders named with its random suffix, and writes its process id into `<work folder>/pid`.
 * A build killed with SIGKILL cannot remove its folders, so the next build removes those whose
 * owner process is gone.
 */
import { lstat, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { PARTIAL_SUFFIX } from "./swap.ts";

/** Prefix of a build's work folder (index file, logo staging, Astro cache) under `.build/`. */
export const WORK_PREFIX = "eu-results-build-";

/**
 * Age after which a folder without a readable owner is taken as left over, in milliseconds. A
 * live build writes its pid file right after creating its work folder, so a folder without one
 * is either from a crash or a few milliseconds old.
 */
export const UNOWNED_GRACE_MS = 60_000;

/** Folder under which a build of `outDir` keeps its work folders. */
export function workRootOf(outDir: string): string {
  return join(dirname(outDir), ".build");
}

/** Work folder of the build with `suffix`. */
export function workDirOf(outDir: string, suffix: string): string {
  return join(workRootOf(outDir), `${WORK_PREFIX}${suffix}`);
}

/** Staging folder of a plain-folder build (`--plain`), beside `outDir`. */
export function plainStagingDirOf(outDir: string, suffix: string): string {
  return join(dirname(outDir), `.${basename(outDir)}.building-${suffix}`);
}

/** Writes the owner's pid into the work folder, which marks every folder of the build as live. */
export async function claimWorkDir(workDir: string, pid = process.pid): Promise<void> {
  await writeFile(join(workDir, "pid"), `${pid}\n`);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function ownerOf(workDir: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(join(workDir, "pid"), "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function modifiedAt(path: string): Promise<number | undefined> {
  try {
    return (await lstat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function namesIn(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

export interface LeftoverOptions {
  outDir: string;
  /** Folder of finished and `.partial` builds (see `buildsDirOf`). */
  buildsDir: string;
  /** Folder of the Astro work folders, `.astro/builds` of the repository. */
  astroBuildsDir: string;
  /** Start time of the running build, in milliseconds since the epoch. */
  startedAt: number;
}

/** A folder of some build, and the folder whose `pid` file names that build's process. */
type Candidate = { path: string; ownerDir: string };

/**
 * Removes the work, `.partial`, plain staging and Astro work folders of builds whose process is
 * gone, when they are older than the running build. A folder without a readable owner must also
 * be older than `UNOWNED_GRACE_MS`. Returns the removed paths.
 */
export async function removeLeftovers(options: LeftoverOptions): Promise<string[]> {
  const { outDir, buildsDir, astroBuildsDir, startedAt } = options;
  const workRoot = workRootOf(outDir);
  const candidates: Candidate[] = [];

  for (const name of await namesIn(workRoot)) {
    if (!name.startsWith(WORK_PREFIX)) continue;
    candidates.push({ path: join(workRoot, name), ownerDir: join(workRoot, name) });
  }
  for (const name of await namesIn(buildsDir)) {
    if (!name.endsWith(PARTIAL_SUFFIX)) continue;
    const id = name.slice(0, -PARTIAL_SUFFIX.length);
    const suffix = id.slice(id.lastIndexOf("-") + 1);
    candidates.push({ path: join(buildsDir, name), ownerDir: workDirOf(outDir, suffix) });
  }
  const parent = dirname(outDir);
  const plainPrefix = `.${basename(outDir)}.building-`;
  for (const name of await namesIn(parent)) {
    if (!name.startsWith(plainPrefix)) continue;
    const suffix = name.slice(plainPrefix.length);
    candidates.push({ path: join(parent, name), ownerDir: workDirOf(outDir, suffix) });
  }
  // Astro work folders of every output share one parent, so each one holds its own pid file.
  for (const name of await namesIn(astroBuildsDir)) {
    candidates.push({ path: join(astroBuildsDir, name), ownerDir: join(astroBuildsDir, name) });
  }

  // Owners are read for every folder first, because a work folder holds the pid file of the
  // `.partial` and staging folders of its build.
  const stale: string[] = [];
  for (const { path, ownerDir } of candidates) {
    const owner = await ownerOf(ownerDir);
    if (owner !== undefined && processIsAlive(owner)) continue;
    const limit = owner === undefined ? startedAt - UNOWNED_GRACE_MS : startedAt;
    const mtime = await modifiedAt(path);
    if (mtime !== undefined && mtime < limit) stale.push(path);
  }
  for (const path of stale) await rm(path, { recursive: true, force: true });
  return stale;
}
