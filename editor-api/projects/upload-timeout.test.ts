import { readdirSync } from "node:fs";
import { request } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestClient } from "../testing/test-editor.ts";
import { DANCE_CARD, json, projectPath } from "./fixtures.ts";
import { type EditorialTest, startEditorialTest } from "./test-editorial.ts";

const ID = DANCE_CARD.id;
/** Short idle timeout, so a stalled client is cut off quickly. */
const IDLE_MS = 300;

let test: EditorialTest;
let anna: TestClient;
let resultId: string;

beforeEach(async () => {
  test = await startEditorialTest({ uploadIdleTimeoutMs: IDLE_MS });
  await test.addCard(DANCE_CARD);
  await test.importContactsFeed([[ID, "anna@ngo.example"]]);
  anna = await test.signedIn({ username: "Anna", email: "anna@ngo.example" });
  const created = await anna.post(projectPath(ID, "/results"), { title: "Report", version: 1 });
  resultId = (await json<{ result: { id: string } }>(created)).result.id;
});
afterEach(async () => {
  await test.close();
});

interface Stalled {
  status: number;
  body: string;
  /** True once the server closed the connection. */
  closed: Promise<void>;
}

/**
 * Sends the headers of an upload of 1000 bytes and only its first 8 bytes, then stalls without
 * ending the request, as a client on a dead link would.
 */
function stalledUpload(pathname: string, version: number): Promise<Stalled> {
  const url = new URL(pathname, anna.baseUrl);
  return new Promise((resolve, reject) => {
    const sent = request(url, {
      method: "PUT",
      headers: {
        origin: anna.baseUrl,
        cookie: anna.jar.header(url) ?? "",
        "x-csrf-token": anna.csrfToken ?? "",
        "x-file-name": "report.pdf",
        "if-match": `"${version}"`,
        "content-type": "application/octet-stream",
        "content-length": "1000",
      },
    });
    sent.on("error", () => {});
    sent.on("response", (response) => {
      const closed = new Promise<void>((done) => response.socket.once("close", () => done()));
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (text: string) => {
        body += text;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body, closed }));
      response.on("error", reject);
    });
    sent.write(Buffer.from("%PDF-1.4"));
  });
}

function partFiles(): string[] {
  return readdirSync(test.services.uploads.root).filter((name) => name.endsWith(".part"));
}

describe("stalled upload", () => {
  it("times out an attachment upload", async () => {
    const stalled = await stalledUpload(projectPath(ID, `/results/${resultId}/attachment`), 2);
    expect(stalled.status).toBe(408);
    const { error } = JSON.parse(stalled.body) as { error: { code: string; message: string } };
    expect(error.code).toBe("UPLOAD_TIMEOUT");
    expect(error.message).toContain("report.pdf");
    await stalled.closed;
    expect(partFiles()).toEqual([]);
  });

  it("times out a logo upload", async () => {
    const stalled = await stalledUpload(projectPath(ID, "/logo"), 2);
    expect(stalled.status).toBe(408);
    const { error } = JSON.parse(stalled.body) as { error: { code: string } };
    expect(error.code).toBe("UPLOAD_TIMEOUT");
    await stalled.closed;
  });

  it("leaves the draft without an attachment", async () => {
    await stalledUpload(projectPath(ID, `/results/${resultId}/attachment`), 2);
    const project = await json<{ drafts: { id: string; attachment?: unknown }[] }>(
      await anna.get(projectPath(ID)),
    );
    expect(project.drafts.find((draft) => draft.id === resultId)?.attachment).toBeUndefined();
  });
});
