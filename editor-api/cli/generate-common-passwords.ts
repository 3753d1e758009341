/**
 * Writes editor-api/auth/common-passwords.txt from the password list of
 * `@zxcvbn-ts/language-common` (a dev dependency), so the server reads a shipped file and never
 * fetches a list at run time. Run after upgrading that package:
 *   node editor-api/cli/generate-common-passwords.ts
 */
import { writeFileSync } from "node:fs";
import { dictionary } from "@zxcvbn-ts/language-common";

/** Entries taken, in the package's order (most common first). */
const MAX_ENTRIES = 20_000;
/** Shorter entries only ever match as the core of a decorated password, which is too strict. */
const MIN_LENGTH = 4;

const seen = new Set<string>();
for (const entry of dictionary["passwords-common"]) {
  const word = entry.toLowerCase();
  if (word.length >= MIN_LENGTH && !word.includes("\n")) seen.add(word);
  if (seen.size >= MAX_ENTRIES) break;
}
const target = new URL("../auth/common-passwords.txt", import.meta.url);
writeFileSync(target, `${[...seen].join("\n")}\n`);
process.stdout.write(`Wrote ${seen.size} common passwords to ${target.pathname}\n`);
