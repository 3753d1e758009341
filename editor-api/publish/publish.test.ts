import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CardInput,
  cardPath,
  readCardFile,
  writeCardFile,
} from "../../pipeline/card/index.ts";
import type { Database } from "../db/database.ts";
import { createTestDatabase, type TestDatabase } from "../db/test-database.ts";
import { listAudit, recordAudit } from "./audit.ts";
import { createBuildRunner, publishCard } from "./publish.ts";
import { createRebuildQueue, type RebuildFailedEvent } from "./queue.ts";

const logger = pino({ level: "silent" });
const NOW = new Date("2026-12-04T10:00:00Z");

const contractual: CardInput = {
  id: "EACEA-160778",
  programme: "Culture 2007-2013",
  title: "Bridging European stages",
  endDate: "2010-11-30",
  agency: "EACEA",
  coordinator: { name: "EUFONIA SOCIETÀ COOPERATIVA", country: "IT" },
  summary: "A touring theatre project.",
};

let folder: string;
let contentDir: string;
let database: TestDatabase;
let db: Database;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "publish-"));
  contentDir = join(folder, "content");
  database = createTestDatabase(folder);
  db = database.open();
  await writeCardFile(cardPath(contentDir, contractual.programme, contractual.id), contractual);
});
afterEach(async () => {
  db.close();
  database.drop();
  await rm(folder, { recursive: true, force: true });
});

function setup(build: (options: { reason: string }) => Promise<unknown>) {
  const events: RebuildFailedEvent[] = [];
  const queue = createRebuildQueue({
    db,
    owner: "test",
    logger,
    now: () => NOW.getTime(),
    debounceMs: 0,
    run: createBuildRunner(build),
    notify: (event) => {
      events.push(event);
    },
  });
  return { queue, events };
}

const editorial = {
  website: "https://stages.example.org/",
  results: [{ id: "r1", title: "Touring handbook", published: true }],
};

describe("publishCard", () => {
  it("replaces only the editorial part", async () => {
    const { queue } = setup(async () => {});
    const result = await publishCard(
      contentDir,
      // A forged title must not reach the file: contractual data comes from disk.
      { id: contractual.id, programme: contractual.programme, editorial, title: "Forged" } as never,
      { db, queue, actorId: "off-1", now: () => NOW },
    );
    expect(result).toMatchObject({ ok: true, changedFields: ["results", "website"] });

    const card = await readCardFile(cardPath(contentDir, contractual.programme, contractual.id));
    expect(card.title).toBe("Bridging European stages");
    expect(card.summary).toBe("A touring theatre project.");
    expect(card.editorial.website).toBe("https://stages.example.org/");
    expect(card.editorial.results[0].title).toBe("Touring handbook");
  });

  it("writes audit entries per field", async () => {
    const { queue } = setup(async () => {});
    await publishCard(
      contentDir,
      { ...contractual, editorial },
      { db, queue, actorId: "off-1", now: () => NOW },
    );
    const entries = listAudit(db, { projectId: contractual.id });
    expect(entries.map((entry) => entry.field)).toEqual(["editorial.website", "editorial.results"]);
    expect(entries[0]).toMatchObject({
      at: NOW.toISOString(),
      actorId: "off-1",
      action: "publish",
      newValue: "https://stages.example.org/",
    });
    expect(entries[0].oldValue).toBeUndefined();
    expect(entries[1].oldValue).toEqual([]);
  });

  it("enqueues one rebuild with the card id", async () => {
    const reasons: string[] = [];
    const { queue } = setup(async ({ reason }) => {
      reasons.push(reason);
    });
    const result = await publishCard(contentDir, { ...contractual, editorial }, { db, queue });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.jobId).toBeTypeOf("number");
    await queue.runDue();
    expect(reasons).toEqual([`publish ${contractual.id}`]);
  });

  it("skips an unchanged card", async () => {
    const { queue } = setup(async () => {});
    const path = cardPath(contentDir, contractual.programme, contractual.id);
    const before = await readFile(path, "utf8");
    const result = await publishCard(
      contentDir,
      { ...contractual, editorial: { results: [] } },
      { db, queue },
    );
    expect(result).toEqual({ ok: true, path, changedFields: [] });
    expect(await readFile(path, "utf8")).toBe(before);
    expect(queue.list()).toEqual([]);
  });

  it("keeps content written when the build fails", async () => {
    const { queue, events } = setup(async () => {
      throw new Error("astro build failed: out of memory");
    });
    const result = await publishCard(contentDir, { ...contractual, editorial }, { db, queue });
    expect(result.ok).toBe(true);
    await queue.runDue();

    const card = await readCardFile(cardPath(contentDir, contractual.programme, contractual.id));
    expect(card.editorial.website).toBe("https://stages.example.org/");
    expect(queue.list()[0]).toMatchObject({
      state: "failed",
      error: "astro build failed: out of memory",
    });
    expect(events).toHaveLength(1);
    expect(events[0].error).toBe("astro build failed: out of memory");
  });

  it("rejects an unknown card", async () => {
    const { queue } = setup(async () => {});
    const result = await publishCard(
      contentDir,
      { id: "NOPE-1", programme: contractual.programme, editorial },
      { db, queue },
    );
    expect(result).toMatchObject({ ok: false, code: "CARD_NOT_FOUND" });
  });

  it("rejects an invalid editorial part", async () => {
    const { queue } = setup(async () => {});
    const result = await publishCard(
      contentDir,
      { ...contractual, editorial: { website: "javascript:alert(1)" } },
      { db, queue },
    );
    expect(result).toMatchObject({ ok: false, code: "CARD_INVALID" });
    if (result.ok) return;
    expect(result.details.issues).toEqual([expect.objectContaining({ path: "editorial.website" })]);
    expect(queue.list()).toEqual([]);
  });
});

describe("audit log", () => {
  it("filters by project, actor and time", async () => {
    setup(async () => {});
    recordAudit(db, {
      at: "2026-12-01T00:00:00Z",
      actorId: "a",
      action: "approve",
      projectId: "P1",
    });
    recordAudit(db, {
      at: "2026-12-02T00:00:00Z",
      actorId: "b",
      action: "return",
      projectId: "P1",
    });
    recordAudit(db, {
      at: "2026-12-03T00:00:00Z",
      actorId: "a",
      action: "publish",
      projectId: "P2",
    });
    expect(listAudit(db, { projectId: "P1" }).map((entry) => entry.action)).toEqual([
      "return",
      "approve",
    ]);
    expect(listAudit(db, { actorId: "a" })).toHaveLength(2);
    expect(listAudit(db, { since: "2026-12-02T00:00:00Z" })).toHaveLength(2);
    expect(listAudit(db, { until: "2026-12-02T00:00:00Z" })).toHaveLength(1);
    expect(listAudit(db, { limit: 1 })[0].projectId).toBe("P2");
  });

  it("round-trips JSON values", () => {
    setup(async () => {});
    const value = { results: [{ id: "r1", published: true }], note: null };
    const id = recordAudit(db, { at: "2026-12-01T00:00:00Z", action: "edit", newValue: value });
    const [entry] = listAudit(db);
    expect(entry.id).toBe(id);
    expect(entry.newValue).toEqual(value);
    expect(entry.actorId).toBeUndefined();
  });
});
