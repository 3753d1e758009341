import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CardFormatError, parseCardText, serializeCard, writeCardFile } from "./file.ts";
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

  test("rejects an invalid card with field paths", () => {
    expect(() => serializeCard({ ...card, agency: "nowhere" })).toThrow(CardFormatError);
    try {
      serializeCard({ ...card, countries: ["Greece"] });
    } catch (error) {
      expect((error as CardFormatError).issues[0]?.path).toBe("countries.0");
    }
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
