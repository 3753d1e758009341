/**
 * Clean-up of the temporary card files (`<id>.md.<hex>.tmp`) that an atomic write leaves in
 * `content/projects/<programme>/` when its process is killed before the rename. The build never
 * reads them, because `listCardFiles` lists `.md` files only.
 */
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";

/** Age after which a temporary card file is taken as left over: one hour, in milliseconds. */
export const STALE_TEMP_FILE_MS = 60 * 60 * 1000;

const TEMP_CARD_FILE = /\.md\.[0-9a-f]+\.tmp$/;

/**
 * Deletes the temporary card files under `contentDir/projects` older than `maxAgeMs`, so that
 * a running import, whose files are younger, keeps its own. Returns the deleted paths.
 */
export async function removeStaleCardTempFiles(
  contentDir: string,
  options: { now?: number; maxAgeMs?: number } = {},
): Promise<string[]> {
  const limit = (options.now ?? Date.now()) - (options.maxAgeMs ?? STALE_TEMP_FILE_MS);
  const root = join(contentDir, "projects");
  const removed: string[] = [];
  let programmes: string[];
  try {
    programmes = await readdir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return removed;
    throw error;
  }
  for (const programme of programmes) {
    let names: string[];
    try {
      names = await readdir(join(root, programme));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOTDIR") continue;
      throw error;
    }
    for (const name of names) {
      if (!TEMP_CARD_FILE.test(name)) continue;
      const path = join(root, programme, name);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile() || info.mtimeMs >= limit) continue;
      await rm(path, { force: true });
      removed.push(path);
    }
  }
  return removed;
}
