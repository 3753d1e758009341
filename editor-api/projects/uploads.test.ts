import { request } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cardPath, readCardFile } from "../../pipeline/card/index.ts";
import type { TestClient } from "../testing/test-editor.ts";
import * as samples from "../uploads/test-samples.ts";
import { DANCE_CARD, json, projectPath } from "./fixtures.ts";
import { type EditorialTest, startEditorialTest, upload } from "./test-editorial.ts";

const ID = DANCE_CARD.id;
/** Attachment limit of these tests: 256 KiB, so an upload past it stays quick. */
const LIMIT = 256 * 1024;

let test: EditorialTest;
let anna: TestClient;
let resultId: string;

beforeEach(async () => {
  test = await startEditorialTest({ maxUploadBytes: LIMIT });
  await test.addCard(DANCE_CARD);
  await test.importContactsFeed([[ID, "anna@ngo.example"]]);
  anna = await test.signedIn({ username: "Anna", email: "anna@ngo.example" });
  const created = await anna.post(projectPath(ID, "/results"), {
    title: "Final brochure",
    language: "fr",
    version: 1,
  });
  resultId = (await json<{ result: { id: string } }>(created)).result.id;
});
afterEach(async () => {
  await test.close();
});

async function version(): Promise<number> {
  return (await json<{ version: number }>(await anna.get(projectPath(ID)))).version;
}

async function card() {
  return readCardFile(cardPath(test.contentDir, DANCE_CARD.programme, ID));
}

const attachmentPath = () => projectPath(ID, `/results/${resultId}/attachment`);

/**
 * Streams `total` bytes without a Content-Length and stops writing once the response arrives.
 * Returns the status and how many bytes were handed to the socket.
 */
function streamUpload(total: number): Promise<{ status: number; sent: number; body: string }> {
  const url = new URL(attachmentPath(), anna.baseUrl);
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(url, {
      method: "PUT",
      headers: {
        origin: anna.baseUrl,
        cookie: anna.jar.header(url) ?? "",
        "x-csrf-token": anna.csrfToken ?? "",
        "x-file-name": "big.txt",
        "if-match": '"2"',
        "content-type": "application/octet-stream",
      },
    });
    req.on("response", (response) => {
      answered = true;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (text: string) => {
        body += text;
      });
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, sent, body });
        req.destroy();
      });
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const write = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", write);
          return;
        }
      }
      if (!answered) req.end();
    };
    write();
  });
}

describe("logo upload", () => {
  for (const format of ["png", "jpeg", "gif"] as const) {
    it(`accepts a ${format} logo and publishes it`, async () => {
      const image = await samples.image(format, 1200, 600);
      const response = await upload(anna, projectPath(ID, "/logo"), image, {
        fileName: `logo.${format}`,
        version: await version(),
      });
      expect(response.status).toBe(200);
      const logo = (await card()).editorial.logo;
      expect(logo?.mediaType).toBe("image/png");
      expect([logo?.width, logo?.height]).toEqual([800, 400]);
    });
  }

  it("rejects an SVG logo", async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>');
    const response = await upload(anna, projectPath(ID, "/logo"), svg, {
      fileName: "logo.png",
      version: await version(),
    });
    expect(response.status).toBe(415);
    expect((await json<{ error: { code: string } }>(response)).error.code).toBe(
      "FILE_TYPE_NOT_ALLOWED",
    );
    expect((await card()).editorial.logo).toBeUndefined();
  });
});

describe("attachment upload", () => {
  it("stores a PDF on the draft only", async () => {
    const response = await upload(anna, attachmentPath(), samples.minimalPdf(), {
      fileName: "brochure.pdf",
      version: await version(),
    });
    expect(response.status).toBe(200);
    const body = await json<{ attachment: { mediaType: string; fileName: string } }>(response);
    expect(body.attachment).toMatchObject({
      mediaType: "application/pdf",
      fileName: "brochure.pdf",
    });
    const project = await json<{ drafts: { attachment?: { sha256: string } }[] }>(
      await anna.get(projectPath(ID)),
    );
    const sha256 = project.drafts[0]?.attachment?.sha256 ?? "";
    expect(await test.services.uploads.info(sha256)).toMatchObject({ kind: "pdf" });
    expect((await card()).editorial.results).toEqual([]);
  });

  it("accepts a file past the JSON body limit", async () => {
    const text = Buffer.from("Minutes of the final meeting.\n".repeat(5000));
    expect(text.length).toBeGreaterThan(64 * 1024);
    const response = await upload(anna, attachmentPath(), text, {
      fileName: "minutes.txt",
      version: await version(),
    });
    expect(response.status).toBe(200);
  });

  it("rejects a renamed executable", async () => {
    for (const [sample, fileName] of [
      [samples.elf(), "report.pdf"],
      [samples.pe(), "report.doc"],
    ] as const) {
      const response = await upload(anna, attachmentPath(), sample, {
        fileName,
        version: await version(),
      });
      expect(response.status, fileName).toBe(415);
      expect((await json<{ error: { code: string } }>(response)).error.code).toBe(
        "FILE_TYPE_NOT_ALLOWED",
      );
    }
    const project = await json<{ drafts: { attachment?: unknown }[] }>(
      await anna.get(projectPath(ID)),
    );
    expect(project.drafts[0]?.attachment).toBeUndefined();
  });

  it("rejects a declared size over the limit", async () => {
    const response = await upload(anna, attachmentPath(), Buffer.alloc(LIMIT + 1, 0x41), {
      fileName: "big.txt",
      version: await version(),
    });
    expect(response.status).toBe(413);
    expect((await json<{ error: { code: string } }>(response)).error.code).toBe("FILE_TOO_LARGE");
  });

  it("stops a streamed upload at the limit", async () => {
    const total = 64 * 1024 * 1024;
    const result = await streamUpload(total);
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).error.code).toBe("FILE_TOO_LARGE");
    expect(result.sent).toBeLessThan(total);
  });

  it("rejects an upload with a stale version before reading it", async () => {
    const response = await upload(anna, attachmentPath(), samples.minimalPdf(), {
      fileName: "brochure.pdf",
      version: 1,
    });
    expect(response.status).toBe(409);
  });
});
