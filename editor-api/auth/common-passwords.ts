/**
 * Common-password check against `common-passwords.txt`, a list generated from the
 * `@zxcvbn-ts/language-common` password list by `cli/generate-common-passwords.ts`.
 */
import { readFileSync } from "node:fs";

let list: Set<string> | undefined;

function commonPasswords(): Set<string> {
  if (!list) {
    const text = readFileSync(new URL("./common-passwords.txt", import.meta.url), "utf8");
    list = new Set(text.split("\n").filter((line) => line.length > 0));
  }
  return list;
}

/** Characters people add around a common word ("Summer2024!", "!!monkey123"). */
const DECORATION = /^[\d\W_]+|[\d\W_]+$/g;

/**
 * Tells whether a password is a listed common password, ignoring case, or one decorated with
 * leading or trailing digits and symbols. A password made only of digits and symbols counts
 * as common too.
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  const passwords = commonPasswords();
  if (passwords.has(lower)) return true;
  const core = lower.replace(DECORATION, "");
  return core.length === 0 || passwords.has(core);
}
