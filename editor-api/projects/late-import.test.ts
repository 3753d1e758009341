import { writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cardPath, cardRelativePath, writeCardFile } from "../../pipeline/card/index.ts";
import type { TestClient } from "../testing/test-editor.ts";
import { DANCE_CARD, json, OTHER_CARD, projectPath } from "./fixtures.ts";
import { type EditorialTest, startEditorialTest } from "./test-editorial.ts";

let test: EditorialTest;
let helen: TestClient;

beforeEach(async () => {
  test = await startEditorialTest();
  await test.addCard(DANCE_CARD);
  helen = await test.signedIn({ username: "Helen", role: "helpdesk" });
  await test.createAccount({ username: "Bert", email: "bert@ngo.example" });
});
afterEach(async () => {
  await test.close();
});

/** Writes a card file the way an import does, without touching the project index. */
async function importCard(card = OTHER_CARD): Promise<string> {
  const file = cardPath(test.contentDir, card.programme, card.id);
  await writeCardFile(file, card);
  return file;
}

describe("card imported while running", () => {
  it("is found by a grant", async () => {
    await importCard();
    const granted = await helen.post("/api/grants", {
      projectId: OTHER_CARD.id,
      email: "bert@ngo.example",
    });
    expect(granted.status).toBe(201);
  });

  it("is found by a project read", async () => {
    await importCard();
    const read = await helen.get(projectPath(OTHER_CARD.id));
    expect(read.status).toBe(200);
    expect((await json<{ project: { title: string } }>(read)).project.title).toBe(OTHER_CARD.title);
  });

  it("shows after the listing expires", async () => {
    // A miss lists the card files once; a card written after that shows once the listing expires.
    expect((await helen.get(projectPath(OTHER_CARD.id))).status).toBe(404);
    await importCard();
    test.clock.advance(11_000);
    await helen.signIn("Helen");
    expect((await helen.get(projectPath(OTHER_CARD.id))).status).toBe(200);
  });

  it("stays out when its file is invalid", async () => {
    const file = await importCard();
    writeFileSync(file, "not a card\n");
    expect((await helen.get(projectPath(OTHER_CARD.id))).status).toBe(404);
  });
});

describe("POST /api/projects/sync", () => {
  it("indexes new cards for helpdesk", async () => {
    await importCard();
    const synced = await helen.post("/api/projects/sync", {});
    expect(synced.status).toBe(200);
    expect(await json(synced)).toEqual({ indexed: 2, removed: 0, invalid: [] });
    const list = await json<{ projects: { id: string }[] }>(await helen.get("/api/projects"));
    expect(list.projects.map((project) => project.id)).toContain(OTHER_CARD.id);
  });

  it("names invalid card files relative to the content folder", async () => {
    const file = await importCard();
    writeFileSync(file, "");
    const body = await json<{ invalid: { path: string }[] }>(
      await helen.post("/api/projects/sync", {}),
    );
    expect(body.invalid.map((problem) => problem.path)).toEqual([
      cardRelativePath(OTHER_CARD.programme, OTHER_CARD.id),
    ]);
    expect(JSON.stringify(body)).not.toContain(test.contentDir);
  });

  it("is closed to beneficiaries", async () => {
    const bert = test.client();
    await bert.signIn("Bert");
    expect((await bert.post("/api/projects/sync", {})).status).toBe(403);
  });
});
