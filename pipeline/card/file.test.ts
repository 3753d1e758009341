import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import matter from "gray-matter";
import yaml from "js-yaml";
import { describe, expect, test } from "vitest";
import {
  AtomicWriteBatch,
  CardFormatError,
  frontMatterBlock,
  parseCard,
  parseCardText,
  serializeCard,
  writeCardFile,
} from "./file.ts";
import type { CardInput } from "./schema.ts";

const card: CardInput = {
  id: "552144-CREA-1-2014-1-AT-CULT-COOP1",
  programme: "Creative Europe",
  subProgramme: "Culture",
  action: "Cooperation projects",
  callYear: 2014,
  title: "ELiT Literaturehouse Europe",
  startDate: "2015-01-01",
  endDate: "2018-12-31",
  euGrant: 200000,
  countries: ["AT", "UK"],
  coordinator: {
    name: "WACHAU KULTUR MELK GMBH",
    country: "AT",
    websites: ["http://www.kultur-melk.at"],
  },
  agency: "EACEA",
  summary: "First paragraph.\n\n• bullet one\n• bullet two",
};

describe("serializeCard", () => {
  test("round-trips a card", () => {
    const text = serializeCard(card);
    const parsed = parseCardText(text);
    expect(parsed.title).toBe("ELiT Literaturehouse Europe");
    expect(parsed.startDate).toBe("2015-01-01");
    expect(parsed.summary).toBe("First paragraph.\n\n• bullet one\n• bullet two");
    expect(parsed.editorial.review.state).toBe("open");
  });

  test("is deterministic", () => {
    expect(serializeCard(card)).toBe(serializeCard(parseCardText(serializeCard(card))));
  });

  test("quotes date-like strings", () => {
    expect(serializeCard(card)).toContain("startDate: '2015-01-01'");
  });

  test("keeps hostile text inside its field", () => {
    const hostile = {
      ...card,
      title: "---\nid: other\n---",
      summary: "---\nprogramme: x\n---\nbody",
    };
    const parsed = parseCardText(serializeCard(hostile));
    expect(parsed.id).toBe(card.id);
    expect(parsed.title).toBe("---\nid: other\n---");
    expect(parsed.summary).toBe("---\nprogramme: x\n---\nbody");
  });

  test("keeps a body of delimiter lines as text", () => {
    const summary = "---\n---\n\n---\ntitle: other\n---";
    const parsed = parseCardText(serializeCard({ ...card, summary }));
    expect(parsed.summary).toBe(summary);
    expect(parsed.title).toBe(card.title);
  });

  test("gives the bytes of gray-matter", () => {
    const dump = (data: object) => yaml.dump(data, { lineWidth: -1, noRefs: true });
    const engines = { yaml: { parse: yaml.load as (text: string) => object, stringify: dump } };
    for (const input of [card, { ...card, summary: "" }, { ...card, summary: "---\nx: 1\n" }]) {
      const { summary, ...data } = parseCard(input);
      const content = summary.trim() === "" ? "" : `${summary.trimEnd()}\n`;
      const file = { content, data: {} } as unknown as string;
      const expected = matter.stringify(file, JSON.parse(JSON.stringify(data)), { engines });
      expect(serializeCard(input)).toBe(expected);
    }
  });

  test("rejects an invalid card with field paths", () => {
    expect(() => serializeCard({ ...card, agency: "nowhere" })).toThrow(CardFormatError);
    try {
      serializeCard({ ...card, countries: ["Greece"] });
    } catch (error) {
      expect((error as CardFormatError).issues[0]?.path).toBe("countries.0");
    }
  });
});

describe("frontMatterBlock", () => {
  const data = { id: "A-1", title: "T" };
  const dump = (value: object) => yaml.dump(value);

  test("wraps a good dump in delimiter lines", () => {
    expect(frontMatterBlock(data, "A-1", dump)).toBe("---\nid: A-1\ntitle: T\n---\n");
  });

  test.each([
    ["drops a value", () => "id: A-1\n"],
    ["ends the front matter early", () => "id: A-1\n---\ntitle: T\n"],
    ["starts with a delimiter", () => "---\nid: A-1\ntitle: T\n"],
    ["is not YAML", () => "id: [A-1\n"],
  ])("catches a dump that %s", (_, faulty) => {
    expect(() => frontMatterBlock(data, "A-1", faulty)).toThrow(CardFormatError);
  });
});

describe("AtomicWriteBatch", () => {
  test("puts files in place on flush, the later write of a path winning", async () => {
    const folder = await mkdtemp(join(tmpdir(), "batch-"));
    const batch = new AtomicWriteBatch({ size: 10 });
    const first = await batch.write(join(folder, "a", "one.md"), "first");
    const second = await batch.write(join(folder, "a", "one.md"), "second");
    const other = await batch.write(join(folder, "b", "two.md"), "two");
    expect(batch.staged(join(folder, "a", "one.md"))).toBe("second");
    expect((await readdir(join(folder, "a"))).some((name) => name === "one.md")).toBe(false);
    await batch.flush();
    await Promise.all([first.done, second.done, other.done]);
    expect(await readFile(join(folder, "a", "one.md"), "utf8")).toBe("second");
    expect(await readdir(join(folder, "a"))).toEqual(["one.md"]);
    expect(await readdir(join(folder, "b"))).toEqual(["two.md"]);
    expect(batch.staged(join(folder, "a", "one.md"))).toBeUndefined();
  });

  test("flushes by itself when a batch is full", async () => {
    const folder = await mkdtemp(join(tmpdir(), "batch-"));
    const batch = new AtomicWriteBatch({ size: 2 });
    const writes = [];
    for (const name of ["1", "2", "3", "4", "5"]) {
      writes.push(await batch.write(join(folder, `${name}.md`), name));
    }
    await Promise.all(writes.slice(0, 4).map((write) => write.done));
    expect((await readdir(folder)).filter((name) => name.endsWith(".md")).sort()).toEqual([
      "1.md",
      "2.md",
      "3.md",
      "4.md",
    ]);
    await batch.flush();
    await writes[4]?.done;
  });

  test("fails one write and keeps the file it would replace", async () => {
    const folder = await mkdtemp(join(tmpdir(), "batch-"));
    const blocked = join(folder, "blocked.md");
    await writeFile(join(folder, "kept.md"), "old");
    const batch = new AtomicWriteBatch();
    const good = await batch.write(join(folder, "kept.md"), "new");
    // A folder in the way: the rename over it fails, and only this write.
    await mkdir(join(blocked, "inside"), { recursive: true });
    const bad = await batch.write(blocked, "text");
    await batch.flush();
    await expect(good.done).resolves.toBeUndefined();
    await expect(bad.done).rejects.toThrow();
    expect(await readFile(join(folder, "kept.md"), "utf8")).toBe("new");
    expect((await readdir(folder)).sort()).toEqual(["blocked.md", "kept.md"]);
  });
});

describe("writeCardFile", () => {
  test("leaves no temporary file", async () => {
    const folder = await mkdtemp(join(tmpdir(), "card-"));
    const path = join(folder, "a", "card.md");
    await writeCardFile(path, card);
    expect(await readdir(join(folder, "a"))).toEqual(["card.md"]);
    expect(await readFile(path, "utf8")).toBe(serializeCard(card));
  });
});
