/** `/healthz` and `/readyz` over real folders and a real SQLite database. */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Hono } from "hono";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mountHealthRoutes, type ReadinessOptions } from "./health.ts";

let root: string;
let db: DatabaseSync;
let accepting: boolean;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "health-"));
  for (const folder of ["content", "attachments", "builds/one"]) {
    await mkdir(join(root, folder), { recursive: true });
  }
  await writeFile(join(root, "builds/one/index.html"), "<!doctype html><title>Home</title>");
  await symlink(join(root, "builds/one"), join(root, "dist"));
  db = new DatabaseSync(join(root, "editor.db"));
  accepting = true;
});

afterEach(async () => {
  if (db.isOpen) db.close();
  await rm(root, { recursive: true, force: true });
});

function appWith(overrides: Partial<ReadinessOptions> = {}): Hono {
  const app = new Hono();
  mountHealthRoutes(app, {
    pingDatabase: () => void db.prepare("SELECT 1").get(),
    contentDir: join(root, "content"),
    attachmentsDir: join(root, "attachments"),
    distDir: join(root, "dist"),
    isAccepting: () => accepting,
    ...overrides,
  });
  return app;
}

async function readiness(app: Hono) {
  const response = await app.request("/readyz");
  const body = (await response.json()) as {
    status: string;
    checks: Record<string, string>;
    error?: { code: string; message: string };
  };
  return { status: response.status, body, text: JSON.stringify(body) };
}

describe("healthz", () => {
  it("returns 200 without checks", async () => {
    db.close();
    const response = await appWith({ distDir: join(root, "missing") }).request("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "up" });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});

describe("readyz", () => {
  it("returns 200 when every check passes", async () => {
    const { status, body } = await readiness(appWith());
    expect(status).toBe(200);
    expect(body.status).toBe("ready");
    expect(Object.values(body.checks)).toEqual(["ok", "ok", "ok", "ok", "ok"]);
  });

  it("names a closed database", async () => {
    db.close();
    const { status, body } = await readiness(appWith());
    expect(status).toBe(503);
    expect(body.checks.database).toBe("failed");
    expect(body.error?.code).toBe("NOT_READY");
    expect(body.error?.message).toContain("database");
  });

  it("names a missing site", async () => {
    await rm(join(root, "builds/one/index.html"));
    const { status, body } = await readiness(appWith());
    expect(status).toBe(503);
    expect(body.checks.site).toBe("failed");
    expect(body.checks.database).toBe("ok");
  });

  it("fails for a file or missing folder", async () => {
    await writeFile(join(root, "not-a-folder"), "");
    const app = appWith({
      contentDir: join(root, "not-a-folder"),
      attachmentsDir: join(root, "missing"),
    });
    const { status, body } = await readiness(app);
    expect(status).toBe(503);
    expect(body.checks.content).toBe("failed");
    expect(body.checks.attachments).toBe("failed");
  });

  it("fails once shutdown began", async () => {
    const app = appWith();
    accepting = false;
    const { status, body } = await readiness(app);
    expect(status).toBe(503);
    expect(body.checks.accepting).toBe("failed");
  });

  it("keeps paths out of the response", async () => {
    await rm(join(root, "content"), { recursive: true });
    const { text } = await readiness(appWith());
    expect(text).not.toContain(root);
    expect(text).not.toContain(process.version);
  });

  it("logs changes of readiness once", async () => {
    const warnings: object[] = [];
    const infos: string[] = [];
    const logger = {
      warn: (object: object) => void warnings.push(object),
      info: (message: string) => void infos.push(message),
    };
    const app = appWith({ logger });
    await readiness(app);
    accepting = false;
    await readiness(app);
    await readiness(app);
    expect(infos).toEqual(["ready"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ failed: ["accepting"] });
  });
});
