/**
 * Display names for uploaded files. The stored file is named by its hash, so the display name
 * only needs to be safe to show: no folders, no control or bidirectional formatting characters.
 */

export const MAX_FILE_NAME_LENGTH = 150;

/** Control characters, bidirectional embeddings, overrides and isolates, and invisible marks. */
const UNSAFE_CHARACTERS = /[\p{Cc}\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff]/gu;

/** Returns a safe display name for a declared file name; "file" when nothing is left. */
export function sanitizeFileName(declared: string): string {
  const base = declared.split(/[/\\]/).pop() ?? "";
  let name = base
    .normalize("NFC")
    .replace(UNSAFE_CHARACTERS, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "");
  if (name === "") return "file";
  if ([...name].length <= MAX_FILE_NAME_LENGTH) return name;

  // Keep the extension and shorten the stem, counting code points so no surrogate pair is split.
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : "";
  const stem = [...name.slice(0, name.length - extension.length)];
  name =
    stem
      .slice(0, MAX_FILE_NAME_LENGTH - extension.length)
      .join("")
      .trimEnd() + extension;
  return name;
}

/** Builds `Content-Disposition: attachment` with an ASCII fallback name and the RFC 6266 UTF-8 one. */
export function downloadDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
