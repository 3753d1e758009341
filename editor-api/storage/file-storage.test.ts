import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileStorage } from "./file-storage.ts";
import { type ObjectStorage, readObject, StorageKeyError } from "./storage.ts";

let root: string;
let storage: ObjectStorage;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "file-storage-"));
  storage = createFileStorage({ root: join(root, "objects") });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function keys(prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const info of storage.list(prefix)) found.push(info.key);
  return found.toSorted();
}

describe("file storage", () => {
  it.each([
    ["text", "report body"],
    ["bytes", new TextEncoder().encode("report body")],
    ["stream", Readable.from([Buffer.from("report "), Buffer.from("body")])],
  ])("stores and reads a %s body", async (_kind, body) => {
    const info = await storage.put("ab/report.pdf", body);
    expect(info.key).toBe("ab/report.pdf");
    expect(info.size).toBe(11);
    expect((await readObject(storage, "ab/report.pdf"))?.toString()).toBe("report body");
    expect((await storage.stat("ab/report.pdf"))?.size).toBe(11);
  });

  it("replaces an object", async () => {
    await storage.put("ab/one", "first");
    await storage.put("ab/one", "second");
    expect((await readObject(storage, "ab/one"))?.toString()).toBe("second");
  });

  it("keeps the old object when a write fails", async () => {
    await storage.put("ab/one", "kept");
    async function* broken() {
      yield Buffer.from("partial");
      throw new Error("connection reset");
    }
    await expect(storage.put("ab/one", broken())).rejects.toThrow("connection reset");
    expect((await readObject(storage, "ab/one"))?.toString()).toBe("kept");
    expect(await readdir(join(root, "objects", "ab"))).toEqual(["one"]);
  });

  it("reports missing objects", async () => {
    expect(await storage.get("ab/none")).toBeUndefined();
    expect(await storage.stat("ab/none")).toBeUndefined();
    expect(await storage.delete("ab/none")).toBe(false);
  });

  it("deletes an object", async () => {
    await storage.put("ab/one", "x");
    expect(await storage.delete("ab/one")).toBe(true);
    expect(await storage.stat("ab/one")).toBeUndefined();
  });

  it("lists by prefix", async () => {
    for (const key of ["ab/one", "ab/two.json", "cd/three"]) await storage.put(key, key);
    // A write in progress (or killed) leaves a temporary file, which is no object.
    await writeFile(join(root, "objects", "ab", "one.0123456789abcdef.tmp"), "part");
    expect(await keys("")).toEqual(["ab/one", "ab/two.json", "cd/three"]);
    expect(await keys("ab/")).toEqual(["ab/one", "ab/two.json"]);
    expect(await keys("ab/t")).toEqual(["ab/two.json"]);
    expect(await keys("ef/")).toEqual([]);
  });

  it("moves a local file in", async () => {
    const source = join(root, "objects", ".upload.part");
    await storage.put("ab/seed", "seed");
    await writeFile(source, "uploaded");
    const info = await storage.putFile?.("ab/uploaded", source);
    expect(info?.size).toBe(8);
    expect((await readObject(storage, "ab/uploaded"))?.toString()).toBe("uploaded");
    expect(await readdir(join(root, "objects"))).toEqual(["ab"]);
  });

  it.each(["../outside", "/etc/passwd", "ab//one", "ab/./one", "ab/one two", "ab\\one", ""])(
    "rejects the key %j",
    async (key) => {
      const error = await storage.put(key, "x").catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StorageKeyError);
      expect((error as StorageKeyError).code).toBe("INVALID_STORAGE_KEY");
    },
  );
});
