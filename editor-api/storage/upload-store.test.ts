/**
 * The upload store over a given object storage: a file storage in a folder other than the
 * store's own, as a shared mount would be, so every object must go through the storage.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createUploadStore } from "../uploads/store.ts";
import { minimalPdf } from "../uploads/test-samples.ts";
import { createFileStorage } from "./file-storage.ts";
import { type ObjectStorage, readObject } from "./storage.ts";

let root: string;
let storage: ObjectStorage;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "upload-storage-"));
  storage = createFileStorage({ root: join(root, "shared") });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function keys(): Promise<string[]> {
  const found: string[] = [];
  for await (const info of storage.list("")) found.push(info.key);
  return found.toSorted();
}

describe("upload store over object storage", () => {
  it("stores file, sidecar and marker as objects", async () => {
    const store = createUploadStore({
      root: join(root, "local"),
      logger: pino({ level: "silent" }),
      storage,
    });
    const pdf = minimalPdf();
    const result = await store.put(Readable.from([pdf]), "report.pdf");
    if (!result.ok) throw new Error(result.message);
    const { sha256 } = result.file;
    const key = `${sha256.slice(0, 2)}/${sha256}`;

    expect(await keys()).toEqual([key, `${key}.json`]);
    expect((await readObject(storage, key))?.equals(pdf)).toBe(true);
    expect(await store.info(sha256)).toEqual({
      sha256,
      mediaType: "application/pdf",
      size: pdf.length,
      kind: "pdf",
    });
    // Only the temporary upload passed through the local folder, and it is gone.
    expect(await readdir(join(root, "local"))).toEqual([]);

    expect(await store.isPublished(sha256)).toBe(false);
    expect(await store.markPublished(sha256)).toBe(true);
    expect(await store.isPublished(sha256)).toBe(true);
    expect(await keys()).toEqual([key, `${key}.json`, `${key}.published`]);
  });

  it("stores the same content once", async () => {
    const store = createUploadStore({
      root: join(root, "local"),
      logger: pino({ level: "silent" }),
      storage,
    });
    const first = await store.put(Readable.from([minimalPdf()]), "a.pdf");
    const second = await store.put(Readable.from([minimalPdf()]), "b.pdf");
    expect(first).toMatchObject({ ok: true, deduplicated: false });
    expect(second).toMatchObject({ ok: true, deduplicated: true });
    expect(await keys()).toHaveLength(2);
  });
});
