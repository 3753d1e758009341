/**
 * `npm run sample -- --count N [--content DIR] [--seed S] [--durable]`: writes N sample project
 * cards; `--export FILE` writes them as an Erasmus+ 2014-2020 export CSV instead, and
 * `--contacts FILE` writes the private contacts feed of those cards as well.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeSampleContacts } from "./contacts.ts";
import { writeSampleExport } from "./sample-export.ts";
import { writeSampleCards } from "./write.ts";

const usage = `usage: npm run sample -- --count N [options]
  --count N        number of project cards to write (required)
  --content DIR    content folder to write cards into (default: content)
  --seed S         seed; the same seed and count give the same files (default: sample)
  --durable        flush each card file to disk before renaming it into place
  --export FILE    write an Erasmus+ 2014-2020 export CSV to FILE instead of cards
  --contacts FILE  also write the private contacts feed of the sample cards to FILE
                   (import it with npm run import -- --contacts FILE)`;

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      count: { type: "string" },
      content: { type: "string" },
      seed: { type: "string" },
      durable: { type: "boolean" },
      export: { type: "string" },
      contacts: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const count = Number(values.count);
if (values.count === undefined) fail("missing --count");
if (!Number.isSafeInteger(count) || count < 0) {
  fail(`invalid --count "${values.count}": expected a whole number of cards, 0 or more`);
}
const seed = (values.seed as string | undefined) ?? "sample";
const started = performance.now();
const elapsed = () => ((performance.now() - started) / 1000).toFixed(1);

if (typeof values.export === "string") {
  const file = await writeSampleExport(resolve(values.export), count, seed);
  console.log(`wrote ${count} sample rows to ${file.path} (${file.bytes} bytes) in ${elapsed()} s`);
} else {
  const contentDir = resolve((values.content as string | undefined) ?? "content");
  const written = await writeSampleCards(contentDir, count, seed, {
    durable: values.durable === true,
  });
  console.log(`wrote ${written} sample cards to ${contentDir} in ${elapsed()} s (seed "${seed}")`);
}
if (typeof values.contacts === "string") {
  const path = resolve(values.contacts);
  const contacts = await writeSampleContacts(path, count, seed);
  const first = contacts.find((contact) => contact.state === "ongoing");
  console.log(`wrote ${contacts.length} sample contacts to ${path}`);
  if (first) {
    console.log(`register as ${first.email} to edit the ongoing sample project ${first.projectId}`);
  }
}
