/**
 * Checks on the size and characters of imported text: the project identifier, which names the
 * card in URLs, logs and the editor, and the maximum length of each text field.
 */

/** Maximum length of a project identifier, in UTF-16 code units. The longest in the real exports has 40. */
export const MAX_IDENTIFIER_LENGTH = 200;

/**
 * Maximum length of a text field, in UTF-16 code units. A longer value is cut and reported as
 * `FIELD_TRUNCATED`, so one oversized cell cannot blow up the card page.
 */
export const FIELD_LIMITS = {
  summary: 100_000,
  title: 2_000,
  other: 10_000,
} as const;

// The ranges are the C0 controls, DEL and the C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ranges select control characters
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ranges select control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
const NAMED_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Writes control characters as `\n`, `\r`, `\t` or `\uXXXX`, so a value prints on one line. */
export function escapeControlCharacters(value: string): string {
  return value.replace(
    CONTROL_CHARACTERS,
    (char) => NAMED_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Returns why `id` cannot be a project identifier, or undefined when it can. Identifiers become
 * file names and URL segments, so control characters, path separators and `.`/`..` are rejected.
 * Spaces are allowed: real identifiers such as `168191-EM-1-2009-1-PL-ERA MUNDUS-ICI` have them.
 */
export function identifierProblem(id: string): string | undefined {
  if (id.length > MAX_IDENTIFIER_LENGTH) {
    return `the identifier has ${id.length} characters, more than the maximum of ${MAX_IDENTIFIER_LENGTH}`;
  }
  if (CONTROL_CHARACTER.test(id)) return "the identifier contains control characters";
  if (/[/\\]/.test(id)) return "the identifier contains a path separator (/ or \\)";
  if (id === "." || id === "..") return "the identifier is a relative path segment (. or ..)";
  return undefined;
}

/**
 * Cuts `value` to at most `max` characters at the last whitespace before the limit, or at the
 * limit itself when the last `max / 10` characters hold no whitespace. Never splits a surrogate
 * pair.
 */
export function cutAtWordBoundary(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max;
  const space = value.slice(0, max + 1).search(/\s\S*$/);
  if (space >= max - Math.floor(max / 10)) end = space;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return value.slice(0, end).trimEnd();
}
