import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateCards } from "./generate.ts";
import { writeSampleExport } from "./sample-export.ts";

const realData = resolve(import.meta.dirname, "../../../shared/data/real");

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "sample-export-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function realHeader(): Promise<string[]> {
  const stubs = join(realData, "eubfr-data-lake/stubs-as-csv");
  const name = (await readdir(stubs)).find((file) => file.startsWith("ErasmusPlus_KA2_"));
  const rows = parse(await readFile(join(stubs, name as string), "utf8"), { bom: true, to: 1 });
  return rows[0] as string[];
}

describe("writeSampleExport", () => {
  it("uses the real Erasmus+ header", async () => {
    const path = join(folder, "export.csv");
    await writeSampleExport(path, 5, "seed");
    const rows: string[][] = parse(await readFile(path, "utf8"), { bom: true });
    expect(rows[0]).toEqual(await realHeader());
    expect(rows[0]).toHaveLength(622);
  });

  it("writes one row per card with a BOM", async () => {
    const path = join(folder, "export.csv");
    await writeSampleExport(path, 400, "seed");
    const bytes = await readFile(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(bytes.toString("utf8"), {
      bom: true,
      relax_column_count: false,
    });
    expect(rows).toHaveLength(401);
    expect(rows.every((row) => row.length === 622)).toBe(true);

    const cards = [...generateCards(400, "seed", { programmes: ["Erasmus+"], lastCallYear: 2020 })];
    const body = rows.slice(1);
    expect(body.map((row) => row[4])).toEqual(cards.map((card) => card.id));
    expect(body.map((row) => row[7])).toEqual(cards.map((card) => card.summary));
    expect(body.some((row) => (row[7] as string).includes("\n"))).toBe(true);
    expect(body.every((row) => row[0] === "Erasmus+")).toBe(true);
    expect(body.some((row) => /^www\./.test(row[21] as string))).toBe(true);
  });

  it("repeats for the same seed", async () => {
    const first = await writeSampleExport(join(folder, "a.csv"), 200, 7);
    const second = await writeSampleExport(join(folder, "b.csv"), 200, 7);
    expect(second.sha256).toBe(first.sha256);
    expect(second.bytes).toBe(first.bytes);
  });

  it("rejects an unknown layout", async () => {
    const write = writeSampleExport(join(folder, "x.csv"), 1, 1, "creative-europe" as never);
    await expect(write).rejects.toThrow(/creative-europe/);
  });
});
