/**
 * Where cards live: `content/projects/<programme>/<identifier>.md`, with names that are safe on
 * every common file system (lower case, ASCII letters, digits, `-`, `_` and `.` only).
 */
import { opendir } from "node:fs/promises";
import { join } from "node:path";

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/;
const MAX_NAME_LENGTH = 120;

/** Turns free text into a lower-case ASCII slug (`Erasmus+` becomes `erasmus-plus`). */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/\+/g, " plus ")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_NAME_LENGTH)
    .replace(/-+$/, "");
  return slug === "" ? "unnamed" : slug;
}

/** File-name stem for a project identifier, kept readable (`2014-1-de03-ka101-000001`). */
export function identifierFileStem(identifier: string): string {
  let stem = identifier
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "_")
    .replace(/^[._]+|[._]+$/g, "")
    .slice(0, MAX_NAME_LENGTH);
  if (stem === "") stem = "unnamed";
  if (WINDOWS_RESERVED.test(stem)) stem = `${stem}_`;
  return stem;
}

/** Path of a card relative to the content folder, with `/` separators. */
export function cardRelativePath(programme: string, identifier: string): string {
  return `projects/${slugify(programme)}/${identifierFileStem(identifier)}.md`;
}

/** Absolute or content-relative path of a card inside `contentDir`. */
export function cardPath(contentDir: string, programme: string, identifier: string): string {
  return join(contentDir, ...cardRelativePath(programme, identifier).split("/"));
}

/** Yields the path of every card file under `contentDir/projects`, in a stable sorted order. */
export async function* listCardFiles(contentDir: string): AsyncGenerator<string> {
  const root = join(contentDir, "projects");
  let programmes: string[];
  try {
    programmes = await sortedEntries(root, "directory");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  for (const programme of programmes) {
    const folder = join(root, programme);
    for (const name of await sortedEntries(folder, "file")) {
      if (name.endsWith(".md")) yield join(folder, name);
    }
  }
}

async function sortedEntries(folder: string, kind: "file" | "directory"): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of await opendir(folder)) {
    if (kind === "file" ? entry.isFile() : entry.isDirectory()) names.push(entry.name);
  }
  return names.sort();
}
