import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createUploadStore, type UploadStore } from "./store.ts";
import * as samples from "./test-samples.ts";

const logger = pino({ level: "silent" });
let root: string;
let store: UploadStore;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "uploads-"));
  store = createUploadStore({ root, logger, maxBytes: 1024 * 1024 });
  await store.cleaned;
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Creates a web stream that hands out the bytes in chunks of `size`. */
function webStream(bytes: Uint8Array, size = 1000): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.subarray(offset, offset + size));
      offset += size;
    },
  });
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe("upload store accepts", () => {
  const cases: [string, () => Buffer | Promise<Buffer>, string][] = [
    ["report.pdf", samples.minimalPdf, "application/pdf"],
    ["photo.jpg", () => samples.image("jpeg"), "image/jpeg"],
    ["photo.jpeg", () => samples.image("jpeg"), "image/jpeg"],
    ["scan.tif", () => samples.image("tiff"), "image/tiff"],
    ["chart.png", () => samples.image("png"), "image/png"],
    ["anim.gif", () => samples.image("gif"), "image/gif"],
    ["clip.mpeg", samples.mpeg, "video/mpeg"],
    ["clip.mpg", samples.mpeg, "video/mpeg"],
    ["sound.ogg", samples.ogg, "application/ogg"],
    ["slides.ppt", () => samples.oleFile("PowerPoint Document"), "application/vnd.ms-powerpoint"],
    ["show.pps", () => samples.oleFile("PowerPoint Document"), "application/vnd.ms-powerpoint"],
    ["budget.xls", () => samples.oleFile("Workbook"), "application/vnd.ms-excel"],
    [
      "budget.xlsx",
      samples.xlsx,
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ],
    ["letter.doc", () => samples.oleFile("WordDocument"), "application/msword"],
    [
      "letter.docx",
      samples.docx,
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ],
    ["notes.rtf", () => Buffer.from("{\\rtf1\\ansi Hello}"), "application/rtf"],
    ["notes.txt", () => Buffer.from("Résumé of the project\n"), "text/plain; charset=utf-8"],
    ["latin.txt", () => Buffer.from("R\xe9sum\xe9\r\n", "latin1"), "text/plain; charset=utf-8"],
    ["list.csv", () => Buffer.from("name;country\nAgora;BE\n"), "text/csv; charset=utf-8"],
    ["film.mp4", () => samples.isoMedia("isom"), "video/mp4"],
    ["film.mov", () => samples.isoMedia("qt  "), "video/quicktime"],
    ["song.mp3", samples.mp3, "audio/mpeg"],
  ];

  it.each(cases)("%s", async (name, make, mediaType) => {
    const bytes = await make();
    const result = await store.put(webStream(bytes), name);
    expect(result).toMatchObject({ ok: true, file: { mediaType, size: bytes.length } });
    if (!result.ok) return;
    const stored = await readFile(store.pathOf(result.file.sha256));
    expect(stored.equals(bytes)).toBe(true);
    expect(await store.info(result.file.sha256)).toEqual({
      sha256: result.file.sha256,
      mediaType,
      size: bytes.length,
      kind: result.file.kind,
    });
  });
});

describe("upload store rejects", () => {
  const cases: [string, () => Buffer | Promise<Buffer>, string][] = [
    ["renamed ELF", samples.elf, "notes.txt"],
    ["renamed ELF as pdf", samples.elf, "report.pdf"],
    ["renamed PE", samples.pe, "report.doc"],
    ["Mach-O", () => Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]), "photo.jpg"],
    ["shell script", () => Buffer.from("#!/bin/sh\nrm -rf /\n"), "notes.txt"],
    ["HTML as txt", () => Buffer.from("<!doctype html><script>x()</script>"), "notes.txt"],
    ["SVG as txt", () => Buffer.from('\ufeff  <svg xmlns="http://www.w3.org/2000/svg"/>'), "a.txt"],
    ["XML as csv", () => Buffer.from('<?xml version="1.0"?><a/>'), "list.csv"],
    ["NUL byte in text", () => Buffer.from("abc\0def"), "notes.txt"],
    ["PDF named png", samples.minimalPdf, "chart.png"],
    ["PNG named txt", () => samples.image("png"), "notes.txt"],
    ["text named pdf", () => Buffer.from("hello"), "report.pdf"],
    ["no extension", samples.minimalPdf, "report"],
    ["plain zip", () => samples.zipStored([{ name: "a.txt", data: "a" }]), "letter.docx"],
    ["macro docx", () => samples.docx([{ name: "word/vbaProject.bin", data: "x" }]), "letter.docx"],
    ["docx named xlsx", samples.docx, "budget.xlsx"],
    ["OLE without Office stream", () => samples.oleFile("Other"), "letter.doc"],
    ["doc named xls", () => samples.oleFile("WordDocument"), "budget.xls"],
    ["random bytes", () => Buffer.from([1, 2, 3, 250, 251]), "data.bin"],
  ];

  it.each(cases)("%s", async (_label, make, name) => {
    const result = await store.put(webStream(await make()), name);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe("FILE_TYPE_NOT_ALLOWED");
    expect(await listFiles(root)).toEqual([]);
  });

  it("names detected and declared types", async () => {
    const result = await store.put(webStream(samples.elf()), "notes.txt");
    expect(result).toMatchObject({
      ok: false,
      details: { detected: "executable (ELF)", declared: "txt" },
    });
    const html = await store.put(webStream(Buffer.from("<html></html>")), "page.txt");
    expect(html).toMatchObject({ ok: false, details: { detected: "markup", declared: "txt" } });
  });
});

describe("upload store limits", () => {
  it("stops an over-limit stream early", async () => {
    const chunk = new Uint8Array(64 * 1024);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const result = await store.put(endless, "big.txt");
    expect(result).toMatchObject({ ok: false, code: "FILE_TOO_LARGE" });
    // The stream is pulled one chunk past the limit, plus at most a few queued chunks.
    expect(pulled).toBeLessThanOrEqual(store.maxBytes + 4 * chunk.length);
    expect(pulled).toBeGreaterThan(store.maxBytes);
    expect(await readdir(root)).toEqual([]);
  });

  it("accepts a file of exactly the limit", async () => {
    const bytes = Buffer.alloc(store.maxBytes, "a");
    const result = await store.put(Readable.from([bytes]), "a.txt");
    expect(result).toMatchObject({ ok: true, file: { size: store.maxBytes } });
  });

  it("stops an over-limit Node stream", async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 65536;
        this.push(Buffer.alloc(65536, "a"));
      },
    });
    const result = await store.put(endless, "big.txt");
    expect(result).toMatchObject({ ok: false, code: "FILE_TOO_LARGE" });
    expect(endless.destroyed).toBe(true);
    expect(produced).toBeLessThanOrEqual(store.maxBytes + 64 * 65536);
    expect(await readdir(root)).toEqual([]);
  });
});

describe("upload store storage", () => {
  it("stores under the content hash", async () => {
    const result = await store.put(webStream(samples.minimalPdf()), "report.pdf");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { sha256 } = result.file;
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(store.pathOf(sha256)).toBe(join(root, sha256.slice(0, 2), sha256));
    expect((await listFiles(root)).sort()).toEqual([sha256, `${sha256}.json`]);
  });

  it("deduplicates the same content", async () => {
    const first = await store.put(webStream(samples.minimalPdf()), "a.pdf");
    const second = await store.put(webStream(samples.minimalPdf()), "b.pdf");
    expect(first).toMatchObject({ ok: true, deduplicated: false });
    expect(second).toMatchObject({ ok: true, deduplicated: true, file: { fileName: "b.pdf" } });
    expect(await listFiles(root)).toHaveLength(2);
  });

  it("sanitises the display name", async () => {
    const result = await store.put(webStream(samples.minimalPdf()), "../../etc/\u202ereport.pdf");
    expect(result).toMatchObject({ ok: true, file: { fileName: "report.pdf" } });
  });

  it("reports an interrupted upload", async () => {
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2, 3]));
        controller.error(new Error("connection reset"));
      },
    });
    const result = await store.put(failing, "a.pdf");
    expect(result).toMatchObject({ ok: false, code: "UPLOAD_INTERRUPTED" });
    expect(await readdir(root)).toEqual([]);
  });

  it("removes stale temporary files", async () => {
    const stored = await store.put(webStream(samples.minimalPdf()), "a.pdf");
    await writeFile(join(root, ".upload-0123abcd.part"), "partial");
    expect(await store.removeStaleUploads()).toBe(1);
    expect(await listFiles(root)).toHaveLength(2);
    expect(stored.ok).toBe(true);
  });

  it("clears crash leftovers when created", async () => {
    const hour = new Date(Date.now() - 3_600_000);
    const folder = join(root, "ab");
    await mkdir(folder, { recursive: true });
    const leftovers = [
      join(root, ".upload-00ff00ff.part"),
      join(folder, `${"ab".repeat(32)}.json.0123456789ab.tmp`),
    ];
    for (const path of leftovers) {
      await writeFile(path, "partial");
      await utimes(path, hour, hour);
    }
    // A running upload of another process: written just now, so it stays.
    await writeFile(join(root, ".upload-11ee11ee.part"), "running");

    const restarted = createUploadStore({ root, logger });
    expect(await restarted.cleaned).toBe(2);
    expect(await readdir(root)).toEqual(expect.arrayContaining([".upload-11ee11ee.part"]));
    expect(await readdir(root)).not.toContain(".upload-00ff00ff.part");
    expect(await readdir(folder)).toEqual([]);
  });

  it("clears a killed process's upload at once", async () => {
    const host = hostname()
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, "-");
    const finished = spawnSync(process.execPath, ["-e", ""]);
    const dead = `.upload-${host}.${finished.pid}-00aa00aa.part`;
    const alive = `.upload-${host}.${process.pid}-00bb00bb.part`;
    await writeFile(join(root, dead), "partial");
    await writeFile(join(root, alive), "running");

    const restarted = createUploadStore({ root, logger });
    expect(await restarted.cleaned).toBe(1);
    expect(await readdir(root)).toEqual([alive]);
  });

  it("info ignores a malformed hash", async () => {
    expect(await store.info("../../etc/passwd")).toBeUndefined();
  });
});
