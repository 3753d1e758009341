/**
 * Re-indexes only the search shards that contain changed card pages, for incremental publication.
 *
 * Each affected shard gets a new bundle folder (`/pagefind-<shard>-<token>/`), so the search page
 * never reads a half-written bundle. The bundle list then switches to it by an atomic rename. The
 * old folder stays until the next update, so a page that read the old list can finish its
 * search. Each update first deletes the bundle folders that the list no longer names, crash
 * leftovers included. The primary folder `/pagefind/` is never deleted because it also
 * contains the Pagefind runtime (`pagefind.js`, the WebAssembly) and the public lists.
 */
import { randomBytes } from "node:crypto";
import { access, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeShardBundle } from "./search-bundle.ts";
import {
  readManifest,
  removeUnlistedBundles,
  SearchIndexError,
  writeSearchFiles,
} from "./search-manifest.ts";

export interface SearchUpdate {
  /** Shards re-indexed. */
  shards: number;
  /** Pages indexed in those shards. */
  pages: number;
}

/** Updates of one site run one after the other, because each rewrites the whole manifest. */
const running = new Map<string, Promise<unknown>>();

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function bundleDir(siteDir: string, bundle: string): string {
  return join(siteDir, ...bundle.split("/").filter((part) => part !== ""));
}

/** Builds a bundle path that no earlier update of this shard used. */
function newBundlePath(shardNumber: number): string {
  const token = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  return `/pagefind-${shardNumber}-${token}/`;
}

/**
 * Re-indexes the shards that contain `changedPages` (site-relative HTML paths such as
 * `projects/culture-2007/123/index.html`, or site paths such as `/projects/culture-2007/123/`,
 * already rewritten in `siteDir`). A page that no longer exists on disk is dropped from its
 * shard. Raises a `SearchIndexError` with code `PAGE_NOT_IN_INDEX`, before changing anything,
 * when a page is in no shard, because a new page needs a full build.
 *
 * NOTE: updates run one at a time within a process only. A second process updating the same site
 * at the same time can lose the other's manifest change.
 */
export function updateSearchIndex(siteDir: string, changedPages: string[]): Promise<SearchUpdate> {
  const previous = running.get(siteDir) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(() => updateShards(siteDir, changedPages));
  running.set(siteDir, next);
  void next
    .finally(() => {
      if (running.get(siteDir) === next) running.delete(siteDir);
    })
    .catch(() => {});
  return next;
}

async function updateShards(siteDir: string, changedPages: string[]): Promise<SearchUpdate> {
  const manifest = await readManifest(siteDir);
  const shardOf = new Map<string, number>();
  manifest.shards.forEach((shard, index) => {
    for (const page of shard.pages) shardOf.set(page, index);
  });

  const affected = new Set<number>();
  for (const page of changedPages) {
    // A site path such as `/projects/culture-2007/123/` names the same page.
    const relative = page.replace(/^\/+/, "");
    const normalized =
      relative === "" || relative.endsWith("/") ? `${relative}index.html` : relative;
    const index = shardOf.get(normalized);
    if (index === undefined) {
      throw new SearchIndexError(
        "PAGE_NOT_IN_INDEX",
        `page ${page} is in no search shard; run a full build to add new pages to the index`,
      );
    }
    affected.add(index);
  }

  await removeUnlistedBundles(siteDir, manifest);
  const written: string[] = [];
  let pages = 0;
  try {
    for (const index of [...affected].sort((a, b) => a - b)) {
      const old = manifest.shards[index];
      const kept: string[] = [];
      for (const page of old.pages) {
        if (await exists(join(siteDir, ...page.split("/")))) kept.push(page);
      }
      const bundle = newBundlePath(index + 1);
      written.push(bundleDir(siteDir, bundle));
      const counts = await writeShardBundle(siteDir, kept, bundleDir(siteDir, bundle));
      manifest.shards[index] = { bundle, pages: kept, counts };
      pages += kept.length;
    }
  } catch (error) {
    // The bundle list still names the old folders, so the new ones are unused.
    for (const folder of written) await rm(folder, { recursive: true, force: true });
    throw error;
  }

  await writeSearchFiles(siteDir, manifest);
  return { shards: affected.size, pages };
}
