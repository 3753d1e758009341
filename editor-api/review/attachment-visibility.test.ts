import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CardInput } from "../../pipeline/card/index.ts";
import { createSiteServer } from "../../scripts/site-server.ts";
import { DANCE_CARD, json, OTHER_CARD, projectPath } from "../projects/fixtures.ts";
import { type EditorialTest, startEditorialTest, upload } from "../projects/test-editorial.ts";
import { markPublishedAttachments } from "../publish/published-attachments.ts";
import type { TestClient } from "../testing/test-editor.ts";
import { minimalPdf } from "../uploads/test-samples.ts";

const ID = DANCE_CARD.id;
const DAY = 86_400_000;

let test: EditorialTest;
let anna: TestClient;
let distDir: string;
let resultId: string;
let sha256: string;

async function version(client: TestClient): Promise<number> {
  return (await json<{ version: number }>(await client.get(projectPath(ID)))).version;
}

/** Fetches an attachment from the public site server over the stored files of the test. */
async function publicAttachment(fileName: string): Promise<Response> {
  const site = createSiteServer({ distDir, attachmentsDir: test.services.uploads.root });
  return await site.request(`/attachments/${sha256}/${fileName}`);
}

beforeEach(async () => {
  test = await startEditorialTest();
  distDir = mkdtempSync(path.join(tmpdir(), "attachment-visibility-dist-"));
  await test.addCard(DANCE_CARD);
  await test.addCard(OTHER_CARD);
  await test.importContactsFeed([[ID, "anna@ngo.example"]]);
  anna = await test.signedIn({ username: "Anna", email: "anna@ngo.example" });
  const created = await anna.post(projectPath(ID, "/results"), {
    title: "Final brochure",
    language: "fr",
    version: 1,
  });
  resultId = (await json<{ result: { id: string } }>(created)).result.id;
  const stored = await upload(
    anna,
    projectPath(ID, `/results/${resultId}/attachment`),
    minimalPdf(),
    {
      fileName: "brochure.pdf",
      version: await version(anna),
    },
  );
  expect(stored.status).toBe(200);
  sha256 = (await json<{ attachment: { sha256: string } }>(stored)).attachment.sha256;
});
afterEach(async () => {
  await test.close();
  rmSync(distDir, { recursive: true, force: true });
});

describe("attachment visibility", () => {
  it("hides a draft's file from the public", async () => {
    expect((await publicAttachment("brochure.pdf")).status).toBe(404);
  });

  it("serves the file publicly after approval", async () => {
    test.clock.advance(30 * DAY);
    await anna.signIn("Anna");
    const submitted = await anna.post(projectPath(ID, "/submit"), { version: await version(anna) });
    expect(submitted.status).toBe(200);
    const olga = await test.signedIn({ username: "Olga", role: "officer", agency: "EACEA" });
    const approved = await olga.post(`/api/review/${encodeURIComponent(ID)}/decision`, {
      decision: "approve",
      results: [{ id: resultId, publish: true }],
      version: await version(olga),
    });
    expect(approved.status).toBe(200);

    const response = await publicAttachment("brochure.pdf");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; /);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await response.arrayBuffer())).toEqual(minimalPdf());
  });

  it("lets a project member download the draft", async () => {
    const response = await anna.get(projectPath(ID, `/results/${resultId}/attachment`));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe(
      "attachment; filename=\"brochure.pdf\"; filename*=UTF-8''brochure.pdf",
    );
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(Buffer.from(await response.arrayBuffer())).toEqual(minimalPdf());
  });

  it("hides the draft download from others", async () => {
    const bert = await test.signedIn({ username: "Bert", email: "bert@ngo.example" });
    const response = await bert.get(projectPath(ID, `/results/${resultId}/attachment`));
    expect(response.status).toBe(404);
    const anonymous = await test.client().get(projectPath(ID, `/results/${resultId}/attachment`));
    expect(anonymous.status).toBe(401);
  });

  it("answers RESULT_NOT_FOUND for a result without a file", async () => {
    const response = await anna.get(projectPath(ID, "/results/missing/attachment"));
    expect(response.status).toBe(404);
    expect((await json<{ error: { code: string } }>(response)).error.code).toBe("RESULT_NOT_FOUND");
  });
});

describe("markPublishedAttachments", () => {
  it("marks files of results published earlier", async () => {
    await test.addCard({
      ...OTHER_CARD,
      editorial: {
        results: [
          {
            id: "r1",
            title: "Guide",
            published: true,
            attachment: { sha256, fileName: "guide.pdf", mediaType: "application/pdf", size: 1 },
          },
        ],
      },
    } as CardInput);
    expect((await publicAttachment("guide.pdf")).status).toBe(404);
    const report = await markPublishedAttachments(test.contentDir, test.services.uploads);
    expect(report).toEqual({ marked: 1, missing: [] });
    expect((await publicAttachment("guide.pdf")).status).toBe(200);
  });
});
