import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import pino from "pino";
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LOGO_MAX_INPUT_PIXELS, storeLogo } from "./logo.ts";
import { createUploadStore, type UploadStore } from "./store.ts";
import { image } from "./test-samples.ts";

let root: string;
let store: UploadStore;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "logos-"));
  store = createUploadStore({ root, logger: pino({ level: "silent" }) });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("storeLogo", () => {
  it.each(["png", "jpeg", "gif"] as const)("accepts %s and stores PNG", async (format) => {
    const input = await image(format, 1600, 400);
    const result = await storeLogo(store, Readable.from([input]), `logo.${format}`);
    expect(result).toMatchObject({ ok: true, width: 800, height: 200 });
    if (!result.ok) return;
    expect(result.file.mediaType).toBe("image/png");
    const stored = await sharp(await readFile(store.pathOf(result.file.sha256))).metadata();
    expect(stored.format).toBe("png");
    expect(stored.width).toBe(800);
  });

  it("keeps a small logo at its size", async () => {
    const result = await storeLogo(store, Readable.from([await image("png", 120, 90)]), "a.png");
    expect(result).toMatchObject({ ok: true, width: 120, height: 90 });
  });

  it("rejects an SVG logo", async () => {
    const svg = Buffer.from(
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    );
    const result = await storeLogo(store, Readable.from([svg]), "logo.svg");
    expect(result).toMatchObject({
      ok: false,
      code: "FILE_TYPE_NOT_ALLOWED",
      details: { detected: "svg" },
    });
  });

  it("rejects a TIFF logo", async () => {
    const result = await storeLogo(store, Readable.from([await image("tiff")]), "logo.tif");
    expect(result).toMatchObject({ ok: false, code: "FILE_TYPE_NOT_ALLOWED" });
  });

  it("rejects a decompression bomb", async () => {
    // 8000 × 8000 single-colour pixels compress to a small PNG but decode to 192 MB.
    const side = 8000;
    expect(side * side).toBeGreaterThan(LOGO_MAX_INPUT_PIXELS);
    const bomb = await sharp({
      create: { width: side, height: side, channels: 3, background: "#ffffff" },
      limitInputPixels: false,
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const result = await storeLogo(store, Readable.from([bomb]), "bomb.png");
    expect(result).toMatchObject({ ok: false, code: "IMAGE_INVALID" });
  });

  it("rejects a truncated PNG", async () => {
    const png = await image("png", 200, 200);
    const result = await storeLogo(store, Readable.from([png.subarray(0, 60)]), "cut.png");
    expect(result).toMatchObject({ ok: false, code: "IMAGE_INVALID" });
  });

  it("rejects an over-limit logo", async () => {
    const png = await image("png");
    const result = await storeLogo(store, Readable.from([png]), "a.png", { maxBytes: 10 });
    expect(result).toMatchObject({ ok: false, code: "FILE_TOO_LARGE" });
  });
});
