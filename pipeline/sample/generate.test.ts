import { describe, expect, it } from "vitest";
import { type CardInput, parseCard } from "../card/index.ts";
import { deadlineState } from "./contacts.ts";
import { generateCard, generateCards } from "./generate.ts";

const sample = [...generateCards(5000, "test")].map((card) => parseCard(card));

function share(predicate: (card: ReturnType<typeof parseCard>) => boolean): number {
  return sample.filter(predicate).length / sample.length;
}

describe("generateCards", () => {
  it("repeats for the same seed", () => {
    const again = [...generateCards(200, "test")];
    expect(again).toEqual([...generateCards(200, "test")]);
    expect(again.map((card) => parseCard(card))).toEqual(sample.slice(0, 200));
  });

  it("differs between seeds", () => {
    const [first] = generateCards(1, "test");
    const [other] = generateCards(1, "other");
    expect(
      (other as CardInput).title === (first as CardInput).title && other?.id === first?.id,
    ).toBe(false);
  });

  it("gives unique identifiers", () => {
    expect(new Set(sample.map((card) => card.id)).size).toBe(sample.length);
  });

  it("keeps identifiers unique at high serials", () => {
    const ids = new Set<string>();
    for (let index = 0; index < 2000; index++) {
      ids.add(generateCard("test", index).id);
      ids.add(generateCard("test", index + 50_000).id);
      ids.add(generateCard("test", index + 400_000).id);
    }
    expect(ids.size).toBe(6000);
  });

  it("builds identifiers per programme", () => {
    const national = sample.filter((card) => /^\d{4}-1-[A-Z]{2}\d{2}-KA\d{3}-\d{6}$/.test(card.id));
    expect(national.length).toBeGreaterThan(sample.length / 2);
    for (const card of national) expect(card.id.split("-")[2]).toBe(card.agency);

    const creative = sample.filter((card) => card.programme === "Creative Europe");
    expect(creative.length).toBeGreaterThan(0);
    for (const card of creative) {
      expect(card.id).toMatch(/^\d{6}-CREA-1-\d{4}-1-[A-Z]{2}-(CULT-COOP[12]|MEDIA-DISTSEL)$/);
      expect(card.agency).toBe("EACEA");
    }
  });

  it("mixes programmes", () => {
    const programmes = new Set(sample.map((card) => card.programme));
    for (const name of [
      "Erasmus+",
      "Creative Europe",
      "Culture (2007-2013)",
      "Life long learning (2007-2013)",
      "Youth in action (2007-2013)",
      "TEMPUS",
      "Erasmus Mundus",
    ]) {
      expect(programmes).toContain(name);
    }
    const keyActions = new Set(sample.map((card) => card.subProgramme));
    expect(keyActions).toContain("Learning Mobility of Individuals");
    expect(keyActions).toContain("Jean Monnet Activities");
    expect(keyActions).toContain("Sport");
  });

  it("labels about 5% good practice and 1% success stories", () => {
    expect(share((card) => card.goodPractice)).toBeGreaterThan(0.03);
    expect(share((card) => card.goodPractice)).toBeLessThan(0.07);
    expect(share((card) => card.successStory)).toBeGreaterThan(0.003);
    expect(share((card) => card.successStory)).toBeLessThan(0.02);
  });

  it("has a long tail of partners", () => {
    const counts = sample.map((card) => card.partners.length);
    expect(Math.min(...counts)).toBe(0);
    expect(counts.some((count) => count > 30)).toBe(true);
    expect(Math.max(...counts)).toBeLessThanOrEqual(100);
    expect(share((card) => card.partners.length <= 10)).toBeGreaterThan(0.8);
  });

  it("writes several languages", () => {
    const languages = new Set(sample.map((card) => card.language));
    for (const language of ["en", "fr", "de", "it", "es", "pl"])
      expect(languages).toContain(language);
    expect(sample.some((card) => card.summary.includes("\n\n"))).toBe(true);
    expect(sample.some((card) => /\n[-•] /.test(card.summary))).toBe(true);
    expect(sample.some((card) => card.title === card.title.toUpperCase())).toBe(true);
  });

  it("uses EU country codes and regions with diacritics", () => {
    const countries = new Set(sample.flatMap((card) => card.countries));
    expect(countries).toContain("EL");
    expect(countries).toContain("UK");
    expect(countries).not.toContain("GR");
    expect(countries).not.toContain("GB");
    expect(sample.some((card) => card.coordinator?.region === "Niederösterreich")).toBe(true);
    for (const card of sample) expect(card.countries[0]).toBe(card.coordinator?.country);
  });

  it("keeps dates, grants and statuses consistent", () => {
    for (const card of sample) {
      expect(card.startDate).toBeDefined();
      expect(card.endDate).toBeDefined();
      expect((card.startDate as string) < (card.endDate as string)).toBe(true);
      expect(Number(card.startDate?.slice(0, 4))).toBeGreaterThanOrEqual(card.callYear as number);
      if (card.euGrant !== undefined) expect(card.euGrant).toBeGreaterThan(0);
    }
    const statuses = new Set(sample.map((card) => card.status));
    expect(statuses).toEqual(new Set(["ongoing", "completed"]));
  });

  it("spreads end dates over every deadline state", () => {
    const catalogue = [...generateCards(500, "eu-project-results")];
    const callYears = catalogue.map((card) => card.callYear as number);
    expect(Math.max(...callYears)).toBe(2026);
    const endYears = catalogue.map((card) => Number(card.endDate?.slice(0, 4)));
    expect(Math.max(...endYears)).toBe(2029);
    // Any day of 2026-2028 finds locked, submittable and not yet submittable cards.
    for (const asOf of ["2026-01-01", "2026-12-04", "2027-06-30", "2028-12-31"]) {
      const states = new Set(catalogue.map((card) => deadlineState(card.endDate as string, asOf)));
      expect(states, asOf).toEqual(new Set(["ongoing", "submittable", "locked"]));
    }
  });

  it("adds editorial content to some cards", () => {
    const edited = sample.filter((card) => card.editorial.results.length > 0);
    expect(edited.length).toBeGreaterThan(50);
    for (const card of edited) {
      const published = card.editorial.results.filter((result) => result.published);
      expect(published.length).toBeGreaterThan(0);
      expect(published.every((result) => result.attachment === undefined)).toBe(true);
      expect(card.editorial.contacts.some((contact) => contact.public)).toBe(true);
    }
    expect(edited.some((card) => card.editorial.contacts.some((contact) => !contact.public))).toBe(
      true,
    );
  });

  it("filters by programme", () => {
    const cards = [...generateCards(300, "test", { programmes: ["Erasmus+"] })];
    expect(cards.every((card) => card.programme === "Erasmus+")).toBe(true);
    expect(() => [...generateCards(1, "test", { programmes: ["Horizon"] })]).toThrow(/Horizon/);
  });

  it("filters by last call year", () => {
    const cards = [...generateCards(300, "test", { lastCallYear: 2020 })];
    expect(cards.every((card) => (card.callYear as number) <= 2020)).toBe(true);
    expect([...generateCards(300, "test")].some((card) => (card.callYear as number) > 2020)).toBe(
      true,
    );
  });
});
