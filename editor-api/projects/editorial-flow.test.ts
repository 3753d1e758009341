import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cardPath, readCardFile } from "../../pipeline/card/index.ts";
import { listAudit } from "../publish/audit.ts";
import type { TestClient } from "../testing/test-editor.ts";
import { DANCE_CARD, errorCode, json, OTHER_CARD, projectPath, put } from "./fixtures.ts";
import { type EditorialTest, startEditorialTest } from "./test-editorial.ts";

const ID = DANCE_CARD.id;
const DAY = 86_400_000;

let test: EditorialTest;
let anna: TestClient;

beforeEach(async () => {
  test = await startEditorialTest();
  await test.addCard(DANCE_CARD);
  await test.addCard(OTHER_CARD);
  await test.importContactsFeed([[ID, "anna@ngo.example"]]);
  anna = await test.signedIn({ username: "Anna", email: "anna@ngo.example" });
});
afterEach(async () => {
  await test.close();
});

/** Moves the clock on by whole days and signs Anna in again, because sessions expire. */
async function travel(days: number): Promise<void> {
  test.clock.advance(days * DAY);
  await anna.signIn("Anna");
}

async function version(client: TestClient): Promise<number> {
  return (await json<{ version: number }>(await client.get(projectPath(ID)))).version;
}

async function addResult(client: TestClient, title: string): Promise<string> {
  const response = await client.post(projectPath(ID, "/results"), {
    title,
    description: `${title}, in English.`,
    type: "Publication",
    language: "en",
    version: await version(client),
  });
  expect(response.status).toBe(201);
  return (await json<{ result: { id: string } }>(response)).result.id;
}

async function submit(client: TestClient) {
  return client.post(projectPath(ID, "/submit"), { version: await version(client) });
}

async function card() {
  return readCardFile(cardPath(test.contentDir, DANCE_CARD.programme, ID));
}

describe("editorial flow", () => {
  it("runs edit, submit, return, resubmit and approve", async () => {
    const list = await json<{ projects: Record<string, unknown>[] }>(
      await anna.get("/api/projects"),
    );
    expect(list.projects.map((project) => project.id)).toEqual([ID]);
    expect(list.projects[0]?.state).toBe("open");
    expect(list.projects[0]?.deadlines).toEqual({
      submissionOpensOn: "2026-12-31",
      lockedOn: "2029-01-01",
    });

    const website = await put(anna, projectPath(ID, "/website"), {
      website: "www.dance.example",
      version: 1,
    });
    expect(website.status).toBe(200);
    expect((await card()).editorial.website).toBe("http://www.dance.example/");

    const brochure = await addResult(anna, "Final brochure");
    const film = await addResult(anna, "Tour film");

    const early = await submit(anna);
    expect(early.status).toBe(409);
    const refusal = await json<{ error: { code: string; opensOn: string } }>(early);
    expect(refusal.error.code).toBe("SUBMISSION_NOT_OPEN");
    expect(refusal.error.opensOn).toBe("2026-12-31");

    await travel(27);
    const olga = await test.signedIn({ username: "Olga", role: "officer", agency: "EACEA" });
    const submitted = await submit(anna);
    expect(submitted.status).toBe(200);
    expect((await json(submitted)).state).toBe("submitted");
    expect((await card()).editorial.review.state).toBe("submitted");

    expect(test.inbox.latest("olga@example.test", "Submission to review").text).toContain(ID);
    expect(test.inbox.latest("anna@ngo.example", "Submission received").text).toContain(ID);

    await travel(2);
    await olga.signIn("Olga");
    const queue = await json<{ submissions: { id: string; ageDays: number }[] }>(
      await olga.get("/api/review/queue"),
    );
    expect(queue.submissions).toEqual([expect.objectContaining({ id: ID, ageDays: 2 })]);

    const review = await json<{ results: { id: string }[]; summary: string }>(
      await olga.get(`/api/review/${encodeURIComponent(ID)}`),
    );
    expect(review.results.map((result) => result.id)).toEqual([brochure, film]);
    expect(review.summary).toContain("Choreographers");

    const decisionPath = `/api/review/${encodeURIComponent(ID)}/decision`;
    const bare = await olga.post(decisionPath, {
      decision: "return",
      version: await version(olga),
    });
    expect(bare.status).toBe(400);
    expect(await errorCode(bare)).toBe("COMMENT_REQUIRED");

    const returned = await olga.post(decisionPath, {
      decision: "return",
      comment: "Describe the tour film in more detail.",
      results: [{ id: film, publish: false, comment: "Too short." }],
      version: await version(olga),
    });
    expect(returned.status).toBe(200);
    expect((await json(returned)).state).toBe("returned");
    expect(test.inbox.latest("anna@ngo.example", "Changes requested").text).toContain(
      "Describe the tour film",
    );

    const seen = await json<{ workflow: { state: string; comment: string } }>(
      await anna.get(projectPath(ID)),
    );
    expect(seen.workflow).toMatchObject({
      state: "returned",
      comment: "Describe the tour film in more detail.",
    });

    const edited = await put(anna, projectPath(ID, `/results/${film}`), {
      title: "Tour film",
      description: "Forty minutes filmed in Brussels, Düsseldorf and Stockholm.",
      language: "en",
      version: await version(anna),
    });
    expect(edited.status).toBe(200);
    expect((await submit(anna)).status).toBe(200);

    const approved = await olga.post(decisionPath, {
      decision: "approve",
      results: [
        { id: brochure, publish: true },
        { id: film, publish: false },
      ],
      labels: { goodPractice: true },
      version: await version(olga),
    });
    expect(approved.status).toBe(200);
    expect((await json(approved)).state).toBe("approved");

    const published = await card();
    expect(published.editorial.results.map((result) => result.id)).toEqual([brochure]);
    expect(published.editorial.results[0]?.published).toBe(true);
    expect(published.editorial.results[0]?.title).toBe("Final brochure");
    expect(published.editorial.labels).toEqual({ goodPractice: true, successStory: false });
    expect(published.editorial.review.state).toBe("approved");
    expect(published.goodPractice).toBe(false);
    expect(test.inbox.latest("anna@ngo.example", "Card approved").text).toContain("Final brochure");

    const jobs = test.queue.list();
    expect(jobs.some((job) => job.cardIds.includes(ID))).toBe(true);
    const approvals = listAudit(test.db, { projectId: ID, action: "approve" });
    expect(approvals.map((entry) => entry.field).sort()).toEqual([
      "editorial.labels",
      "editorial.results",
      "editorial.review",
    ]);

    const closed = await put(anna, projectPath(ID, "/website"), {
      website: "https://dance.example",
      version: await version(anna),
    });
    expect(closed.status).toBe(409);
    expect(await errorCode(closed)).toBe("INVALID_STATE");
  });

  it("rejects approval by an officer who edited", async () => {
    await travel(30);
    await addResult(anna, "Final brochure");
    expect((await submit(anna)).status).toBe(200);
    const olga = await test.signedIn({ username: "Olga", role: "officer", agency: "EACEA" });
    const fix = await put(olga, projectPath(ID, "/website"), {
      website: "https://dance.example",
      version: await version(olga),
    });
    expect(fix.status).toBe(200);

    const decisionPath = `/api/review/${encodeURIComponent(ID)}/decision`;
    const own = await olga.post(decisionPath, {
      decision: "approve",
      version: await version(olga),
    });
    expect(own.status).toBe(403);
    expect(await errorCode(own)).toBe("EDITOR_CANNOT_APPROVE");

    const peter = await test.signedIn({ username: "Peter", role: "officer", agency: "EACEA" });
    const other = await peter.post(decisionPath, {
      decision: "approve",
      labels: { successStory: true },
      version: await version(peter),
    });
    expect(other.status).toBe(200);
    expect((await card()).editorial.labels).toEqual({ goodPractice: true, successStory: true });
  });

  it("rejects a stale version with the changes", async () => {
    const first = await put(anna, projectPath(ID, "/website"), {
      website: "https://dance.example",
      version: 1,
    });
    expect(first.status).toBe(200);
    const stale = await anna.request("PUT", projectPath(ID, "/contacts"), {
      contacts: [{ organisation: "coordinator", name: "Anna Peeters", public: true }],
      version: 1,
    });
    expect(stale.status).toBe(409);
    const body = await json<{
      error: { code: string; currentVersion: number; changes: { change: string }[] };
    }>(stale);
    expect(body.error.code).toBe("VERSION_CONFLICT");
    expect(body.error.currentVersion).toBe(2);
    expect(body.error.changes.map((change) => change.change)).toEqual(["website"]);
  });

  it("lets one of two concurrent writes win", async () => {
    const [first, second] = await Promise.all([
      put(anna, projectPath(ID, "/website"), { website: "one.dance.example", version: 1 }),
      put(anna, projectPath(ID, "/website"), { website: "two.dance.example", version: 1 }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const winner = first.status === 200 ? "http://one.dance.example/" : "http://two.dance.example/";
    expect((await card()).editorial.website).toBe(winner);
    expect(await version(anna)).toBe(2);
  });

  it("locks a card two years after its end", async () => {
    await travel(760);
    const locked = await put(anna, projectPath(ID, "/website"), {
      website: "dance.example",
      version: 1,
    });
    expect(locked.status).toBe(409);
    const body = await json<{ error: { code: string; lockedOn: string } }>(locked);
    expect(body.error.code).toBe("PROJECT_LOCKED");
    expect(body.error.lockedOn).toBe("2029-01-01");
  });

  it("takes the version from If-Match and requires one", async () => {
    const missing = await put(anna, projectPath(ID, "/website"), { website: "dance.example" });
    expect(missing.status).toBe(428);
    expect(await errorCode(missing)).toBe("VERSION_REQUIRED");
    const matched = await anna.request(
      "PUT",
      projectPath(ID, "/website"),
      { website: "dance.example" },
      { headers: { "if-match": '"1"' } },
    );
    expect(matched.status).toBe(200);
    expect(matched.headers.get("etag")).toBe('"2"');
  });

  it("rejects websites with another scheme or no host", async () => {
    for (const website of ["ftp://files.dance.example", "javascript:alert(1)", "not a web site"]) {
      const response = await put(anna, projectPath(ID, "/website"), { website, version: 1 });
      expect(response.status, website).toBe(400);
      const body = await json<{ error: { code: string; message: string; value: string } }>(
        response,
      );
      expect(body.error.code).toBe("INVALID_INPUT");
      expect(body.error.message).toContain(JSON.stringify(website));
      expect(body.error.value).toBe(website);
    }
  });

  it("publishes contacts of known organisations only", async () => {
    const unknown = await put(anna, projectPath(ID, "/contacts"), {
      contacts: [{ organisation: "partner-3", name: "Nobody", public: false }],
      version: 1,
    });
    expect(unknown.status).toBe(400);
    const saved = await put(anna, projectPath(ID, "/contacts"), {
      contacts: [
        {
          organisation: "coordinator",
          name: "Anna Peeters",
          email: "anna@ngo.example",
          public: true,
        },
        { organisation: "partner-2", name: "Sven Lind", phone: "+46 8 555 0100", public: false },
      ],
      version: 1,
    });
    expect(saved.status).toBe(200);
    const contacts = (await card()).editorial.contacts;
    expect(contacts.map((contact) => [contact.organisation, contact.public])).toEqual([
      ["coordinator", true],
      ["partner-2", false],
    ]);
  });

  it("opens a project to a granted account", async () => {
    const bert = await test.signedIn({ username: "Bert", email: "bert@ngo.example" });
    expect((await bert.get(projectPath(ID))).status).toBe(404);
    const helen = await test.signedIn({ username: "Helen", role: "helpdesk" });
    const granted = await helen.post("/api/grants", { projectId: ID, email: "bert@ngo.example" });
    expect(granted.status).toBe(201);
    expect((await bert.get(projectPath(ID))).status).toBe(200);
    const grants = await json<{ grants: unknown[] }>(
      await helen.get(`/api/grants?projectId=${encodeURIComponent(ID)}`),
    );
    expect(grants.grants).toHaveLength(1);
    const withdrawn = await helen.request("DELETE", "/api/grants", {
      projectId: ID,
      email: "bert@ngo.example",
    });
    expect(withdrawn.status).toBe(204);
    expect((await bert.get(projectPath(ID))).status).toBe(404);
    const audit = listAudit(test.db, { projectId: ID });
    expect(audit.map((entry) => entry.action)).toEqual(["revoke", "grant"]);
  });

  it("reopens an approved card for helpdesk", async () => {
    await travel(30);
    expect((await submit(anna)).status).toBe(200);
    const peter = await test.signedIn({ username: "Peter", role: "officer", agency: "EACEA" });
    const decisionPath = `/api/review/${encodeURIComponent(ID)}/decision`;
    expect(
      (await peter.post(decisionPath, { decision: "approve", version: await version(peter) }))
        .status,
    ).toBe(200);
    const helen = await test.signedIn({ username: "Helen", role: "helpdesk" });
    const reopened = await helen.post(projectPath(ID, "/reopen"), {
      version: await version(helen),
    });
    expect(reopened.status).toBe(200);
    expect((await json(reopened)).state).toBe("open");
    expect((await card()).editorial.review.state).toBe("open");
    const edit = await put(anna, projectPath(ID, "/website"), {
      website: "dance.example",
      version: await version(anna),
    });
    expect(edit.status).toBe(200);
  });
});

describe("editorial OpenAPI", () => {
  it("documents routes and error codes", async () => {
    const document = await json<{
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    }>(await anna.get("/api/openapi.json"));
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/api/projects",
        "/api/projects/{id}",
        "/api/projects/{id}/results/{resultId}/attachment",
        "/api/review/{id}/decision",
        "/api/grants",
        "/api/projects/{id}/reopen",
      ]),
    );
    const website = document.paths["/api/projects/{id}/website"]?.put;
    expect(website?.responses["409"]?.description).toContain("VERSION_CONFLICT");
    expect(website?.responses["428"]?.description).toContain("VERSION_REQUIRED");
    const decision = document.paths["/api/review/{id}/decision"]?.post;
    expect(decision?.responses["403"]?.description).toContain("EDITOR_CANNOT_APPROVE");
  });
});
