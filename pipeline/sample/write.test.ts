import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listCardFiles, readCardFile, serializeCard } from "../card/index.ts";
import { generateCards } from "./generate.ts";
import { writeSampleCards } from "./write.ts";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "sample-write-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function snapshot(contentDir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const path of listCardFiles(contentDir)) {
    files.set(relative(contentDir, path), await readFile(path, "utf8"));
  }
  return files;
}

describe("writeSampleCards", () => {
  it("writes byte-identical files for one seed", async () => {
    const first = join(folder, "a");
    const second = join(folder, "b");
    expect(await writeSampleCards(first, 300, "seed-1", { workers: 0 })).toBe(300);
    expect(await writeSampleCards(second, 300, "seed-1", { workers: 2 })).toBe(300);
    const files = await snapshot(first);
    expect(files.size).toBe(300);
    expect(await snapshot(second)).toEqual(files);
  });

  it("writes the serialised cards", async () => {
    await writeSampleCards(folder, 40, "seed-2", { workers: 0 });
    const written = await snapshot(folder);
    for (const card of generateCards(40, "seed-2")) {
      const entry = [...written].find(([, text]) => text.includes(`id: ${card.id}\n`));
      expect(entry?.[1]).toBe(serializeCard(card));
    }
  });

  it("writes durably with the same bytes", async () => {
    const durable = join(folder, "durable");
    const quick = join(folder, "quick");
    await writeSampleCards(durable, 50, "seed-3", { workers: 0, durable: true });
    await writeSampleCards(quick, 50, "seed-3", { workers: 0 });
    expect(await snapshot(durable)).toEqual(await snapshot(quick));
  });

  it("leaves no temporary files", async () => {
    await writeSampleCards(folder, 100, "seed-4", { workers: 0 });
    const names = await readdir(join(folder, "projects"), { recursive: true });
    expect(names.filter((name) => name.endsWith(".tmp"))).toEqual([]);
    for await (const path of listCardFiles(folder)) await readCardFile(path);
  });
});
