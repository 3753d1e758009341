/**
 * Hostile uploads: files that are valid in two formats at once, script hidden in images and SVG,
 * zip bombs in Office packages, and hostile file names. The content decides the type, a logo is
 * always re-encoded, and downloads carry the detected type, nosniff and an attachment disposition.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DANCE_CARD, json, projectPath } from "../projects/fixtures.ts";
import { type EditorialTest, startEditorialTest, upload } from "../projects/test-editorial.ts";
import { storeLogo } from "./logo.ts";
import { MAX_PACKING_RATIO, RATIO_CHECK_FROM_BYTES } from "./ooxml.ts";
import { createUploadStore, type UploadStore } from "./store.ts";
import * as samples from "./test-samples.ts";

const SCRIPT = "alert(document.cookie)";

/** Builds a GIF with a script after the image data, the tail of a GIF and JavaScript polyglot. */
async function gifScriptPolyglot(): Promise<Buffer> {
  const gif = await samples.image("gif");
  return Buffer.concat([gif, Buffer.from(`*/=1;${SCRIPT};/*`)]);
}

/** Builds a PDF followed by a complete zip archive, which PDF readers and unzip both open. */
function pdfZipPolyglot(): Buffer {
  return Buffer.concat([samples.minimalPdf(), samples.docx()]);
}

/** Builds a PDF followed by an HTML page with a script, for browsers that sniff the content. */
function pdfHtmlPolyglot(): Buffer {
  return Buffer.concat([
    samples.minimalPdf(),
    Buffer.from(`<html><body><script>${SCRIPT}</script></body></html>`),
  ]);
}

const SVG_WITH_SCRIPT = Buffer.from(
  `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>${SCRIPT}</script></svg>`,
);

describe("upload store", () => {
  let root: string;
  let store: UploadStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "hostile-uploads-"));
    store = createUploadStore({ root, logger: pino({ level: "silent" }) });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("re-encodes a GIF and script polyglot logo", async () => {
    const result = await storeLogo(store, Readable.from([await gifScriptPolyglot()]), "logo.gif");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.file.mediaType).toBe("image/png");
    const stored = await readFile(store.pathOf(result.file.sha256));
    expect(stored.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(stored.toString("latin1")).not.toContain(SCRIPT);
  });

  it.each(["logo.svg", "logo.png", "logo.gif"])(
    "rejects an SVG with script as %s",
    async (name) => {
      const result = await storeLogo(store, Readable.from([SVG_WITH_SCRIPT]), name);
      expect(result.ok).toBe(false);
    },
  );

  it("rejects an SVG with script as attachment", async () => {
    const result = await store.put(Readable.from([SVG_WITH_SCRIPT]), "drawing.txt");
    expect(result).toMatchObject({ ok: false, code: "FILE_TYPE_NOT_ALLOWED" });
  });

  it("rejects HTML named as a PDF", async () => {
    const html = Buffer.from(`<!doctype html><script>${SCRIPT}</script>`);
    const result = await store.put(Readable.from([html]), "report.pdf");
    expect(result).toMatchObject({ ok: false, code: "FILE_TYPE_NOT_ALLOWED" });
  });

  it("stores a PDF and zip polyglot as PDF", async () => {
    const result = await store.put(Readable.from([pdfZipPolyglot()]), "report.pdf");
    expect(result).toMatchObject({ ok: true, file: { kind: "pdf" } });
  });

  it("rejects a PDF and zip polyglot named .docx", async () => {
    const result = await store.put(Readable.from([pdfZipPolyglot()]), "report.docx");
    expect(result).toMatchObject({ ok: false, code: "FILE_TYPE_NOT_ALLOWED" });
  });

  it("rejects a docx zip bomb", async () => {
    // 108 MiB of zeros pack to about 100 KiB: past the size from which the ratio is checked.
    const part = Buffer.alloc(RATIO_CHECK_FROM_BYTES + 8 * 1024 * 1024);
    const bomb = samples.zipDeflated([
      { name: "[Content_Types].xml", data: "<Types/>" },
      { name: "word/document.xml", data: "<w:document/>" },
      { name: "word/media/padding.bin", data: part },
    ]);
    expect(part.length / bomb.length).toBeGreaterThan(MAX_PACKING_RATIO);
    const result = await store.put(Readable.from([bomb]), "report.docx");
    expect(result).toMatchObject({ ok: false, code: "FILE_TYPE_NOT_ALLOWED" });
    if (result.ok) return;
    expect(result.message).toContain("zip bomb");
  });

  it("accepts a deflated docx", async () => {
    const text = "<w:p><w:r><w:t>Results of the mobility</w:t></w:r></w:p>".repeat(2000);
    const docx = samples.zipDeflated([
      { name: "[Content_Types].xml", data: "<Types/>" },
      { name: "word/document.xml", data: `<w:document>${text}</w:document>` },
    ]);
    const result = await store.put(Readable.from([docx]), "report.docx");
    expect(result).toMatchObject({ ok: true, file: { kind: "docx" } });
  });
});

describe("attachment download", () => {
  const ID = DANCE_CARD.id;
  let test: EditorialTest;

  beforeEach(async () => {
    test = await startEditorialTest();
    await test.addCard(DANCE_CARD);
    await test.importContactsFeed([[ID, "anna@ngo.example"]]);
  });
  afterEach(async () => {
    await test.close();
  });

  const cases: [string, () => Buffer, string][] = [
    ["PDF and zip", pdfZipPolyglot, "report.pdf"],
    ["PDF and HTML", pdfHtmlPolyglot, "report.pdf"],
    ["traversal in the name", samples.minimalPdf, "../../../etc/cron.d/report.pdf"],
    ["control characters", samples.minimalPdf, "re\u0000po\r\nrt\u202e.pdf"],
  ];

  it.each(cases)("serves %s safely", async (_label, content, fileName) => {
    const anna = await test.signedIn({ username: "Anna", email: "anna@ngo.example" });
    const created = await anna.post(projectPath(ID, "/results"), { title: "Report", version: 1 });
    const { result, version } = await json<{ result: { id: string }; version: number }>(created);
    const path = projectPath(ID, `/results/${result.id}/attachment`);
    const uploaded = await upload(anna, path, content(), { fileName, version });
    expect(uploaded.status).toBe(200);

    const download = await anna.get(path);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    const disposition = download.headers.get("content-disposition") ?? "";
    expect(disposition).toMatch(/^attachment; /);
    const controls = [...disposition].filter((character) => {
      const code = character.charCodeAt(0);
      return code < 0x20 || code === 0x7f;
    });
    expect(controls).toEqual([]);
    expect(disposition).not.toContain("/");
    expect(disposition).not.toContain("..");
    expect(Buffer.from(await download.arrayBuffer())).toEqual(content());
  });
});
