/**
 * The file format of a card: Markdown with YAML front matter, the summary as the body.
 *
 * Serialisation is deterministic (schema key order, no undefined keys, no line folding), so the
 * same card always gives the same bytes and a repeated import changes no file.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { isDeepStrictEqual } from "node:util";
import matter from "gray-matter";
import yaml from "js-yaml";
import { type Card, type CardInput, cardSchema } from "./schema.ts";

const yamlEngine = {
  parse: (text: string) => yaml.load(text) as object,
  stringify: (data: object) => yaml.dump(data, { lineWidth: -1, noRefs: true, sortKeys: false }),
};
const matterOptions = { engines: { yaml: yamlEngine } };

/** Error raised when a card file or card value is invalid; `path` names the file when known. */
export class CardFormatError extends Error {
  readonly path: string | undefined;
  readonly issues: { path: string; message: string }[];

  constructor(
    message: string,
    options: { path?: string; issues?: CardFormatError["issues"]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "CardFormatError";
    this.path = options.path;
    this.issues = options.issues ?? [];
  }
}

/** Validates a card value, applying defaults; throws `CardFormatError` with one issue per field. */
export function parseCard(value: unknown, path?: string): Card {
  const parsed = cardSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.join("."),
    message: issue.message,
  }));
  const where = path ? ` in ${path}` : "";
  const summary = issues.map((issue) => `${issue.path || "(card)"}: ${issue.message}`).join("; ");
  throw new CardFormatError(`invalid project card${where}: ${summary}`, { path, issues });
}

/** Deletes undefined members so the YAML dump and deep comparisons see only real values. */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) out[key] = withoutUndefined(member);
    }
    return out;
  }
  return value;
}

/**
 * Serialises a card to its Markdown text. The text is parsed back and compared before it is
 * returned, so a value that would change the file's structure can never be written.
 */
export function serializeCard(input: CardInput): string {
  const card = parseCard(input);
  const { summary, ...frontMatter } = card;
  const body = summary.trim() === "" ? "" : `${summary.trimEnd()}\n`;
  // A file object, not a string: given a string, gray-matter would parse a body that starts with
  // `---` as front matter of its own.
  const file = { content: body, data: {} } as unknown as string;
  const text = matter.stringify(file, withoutUndefined(frontMatter) as object, matterOptions);

  const roundTrip = parseCardText(text, `card ${card.id}`);
  if (
    !isDeepStrictEqual(
      withoutUndefined(roundTrip),
      withoutUndefined({ ...card, summary: body.trimEnd() }),
    )
  ) {
    throw new CardFormatError(
      `project card ${card.id} does not survive a write and read unchanged`,
    );
  }
  return text;
}

/** Parses the Markdown text of a card file. */
export function parseCardText(text: string, path?: string): Card {
  let file: matter.GrayMatterFile<string>;
  try {
    file = matter(text, matterOptions);
  } catch (error) {
    const where = path ?? "card text";
    throw new CardFormatError(`invalid front matter in ${where}: ${(error as Error).message}`, {
      path,
      cause: error,
    });
  }
  return parseCard({ ...file.data, summary: file.content.trimEnd() }, path);
}

/** Reads and validates one card file. */
export async function readCardFile(path: string): Promise<Card> {
  return parseCardText(await readFile(path, "utf8"), path);
}

/**
 * Writes `text` to `path` atomically: a temporary file in the same folder, flushed, then renamed,
 * so a reader or a crash sees either the old file or the new one, never a part.
 */
export async function writeFileAtomic(path: string, text: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(temporary, "w");
  try {
    await handle.writeFile(text);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Writes a card to `path` atomically. Returns the text written. */
export async function writeCardFile(path: string, card: CardInput): Promise<string> {
  const text = serializeCard(card);
  await writeFileAtomic(path, text);
  return text;
}
