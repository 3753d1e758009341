import { spawnSync } from "node:child_process";
import {
  access,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  realpath,
  rm,
  stat,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardPath, listCardFiles, readCardFile, writeCardFile } from "../pipeline/card/index.ts";
import { importContactsFile } from "../pipeline/contacts/import.ts";
import { SAMPLE_CONTACTS_PER_STATE } from "../pipeline/sample/contacts.ts";
import { generateCards } from "../pipeline/sample/generate.ts";
import {
  ensureCatalogue,
  prepareSite,
  publishSite,
  rebuildSite,
  SAMPLE_CARD_COUNT,
  SAMPLE_SEED,
} from "./start-steps.ts";

const STEPS_MODULE = join(import.meta.dirname, "start-steps.ts");

const logs: { level: string; message?: string }[] = [];
const logger = {
  info: (_object: object, message?: string) => logs.push({ level: "info", message }),
  warn: (_object: object, message?: string) => logs.push({ level: "warn", message }),
  error: (_object: object, message?: string) => logs.push({ level: "error", message }),
};

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "start-steps-test-"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function countCards(contentDir: string): Promise<number> {
  let count = 0;
  for await (const _file of listCardFiles(contentDir)) count += 1;
  return count;
}

/** Returns the stored contact e-mails, of one project or of all, in order. */
function storedEmails(databasePath: string, projectId?: string): string[] {
  const db = new DatabaseSync(databasePath);
  try {
    const rows = (
      projectId === undefined
        ? db.prepare("SELECT email FROM project_contacts ORDER BY email").all()
        : db.prepare("SELECT email FROM project_contacts WHERE project_id = ?").all(projectId)
    ) as { email: string }[];
    return rows.map((row) => row.email);
  } finally {
    db.close();
  }
}

describe("ensureCatalogue", () => {
  it("fills the default folder with the sample", async () => {
    const contentDir = join(root, "empty-content");
    const databasePath = join(root, "sample-var", "editor.db");
    const contactsFile = join(root, "sample-var", "sample-contacts.csv");
    await ensureCatalogue(contentDir, logger, {
      defaultContentDir: contentDir,
      databasePath,
      contactsFile,
      now: () => new Date("2026-12-04T09:00:00Z"),
    });
    expect(await countCards(contentDir)).toBe(SAMPLE_CARD_COUNT);
    expect(storedEmails(databasePath)).toHaveLength(3 * SAMPLE_CONTACTS_PER_STATE);

    // The suggested project has a card and is still running on the injected day.
    const line = logs.find((entry) => entry.message?.startsWith("register as "));
    const match = /^register as (\S+) to edit the sample project (\S+)$/.exec(line?.message ?? "");
    expect(match).not.toBeNull();
    const [, email, projectId] = match as unknown as [string, string, string];
    expect(email).toMatch(/^coordinator\.\d+@example\.org$/);
    expect(storedEmails(databasePath, projectId)).toEqual([email]);
    const card = [...generateCards(SAMPLE_CARD_COUNT, SAMPLE_SEED)].find(
      (item) => item.id === projectId,
    );
    expect(card?.endDate).toBeDefined();
    expect((card?.endDate as string) > "2026-12-04").toBe(true);
  }, 120_000);

  it("keeps contacts already stored", async () => {
    const contentDir = join(root, "content-with-database");
    const databasePath = join(root, "own-var", "editor.db");
    const ownFeed = join(root, "own-var", "own-contacts.csv");
    await mkdir(join(root, "own-var"), { recursive: true });
    await writeFile(
      ownFeed,
      "Project Identifier;Contact name;Contact e-mail;Contact phone;Contact role;Organisation\n" +
        "EACEA-160778;Giulia Ferraro;giulia.ferraro@example.org;;;\n",
    );
    await importContactsFile(ownFeed, { databasePath });
    await ensureCatalogue(contentDir, logger, {
      defaultContentDir: contentDir,
      databasePath,
      contactsFile: join(root, "own-var", "sample-contacts.csv"),
    });
    expect(await countCards(contentDir)).toBe(SAMPLE_CARD_COUNT);
    expect(storedEmails(databasePath)).toEqual(["giulia.ferraro@example.org"]);
  }, 120_000);

  it("leaves existing cards alone", async () => {
    const contentDir = join(root, "own-content");
    await writeCardFile(cardPath(contentDir, "Erasmus+", "2020-1-DE01-KA201-000001"), {
      id: "2020-1-DE01-KA201-000001",
      programme: "Erasmus+",
      title: "Own card",
      agency: "DE01",
    });
    const contactsFile = join(root, "own-content-contacts.csv");
    await ensureCatalogue(contentDir, logger, { defaultContentDir: contentDir, contactsFile });
    expect(await countCards(contentDir)).toBe(1);
    await expect(access(contactsFile)).rejects.toThrow();
  });

  it("rejects a missing CONTENT_DIR", async () => {
    const contentDir = join(root, "nonexistent", "dir2");
    const databasePath = join(root, "missing-var", "editor.db");
    await expect(
      ensureCatalogue(contentDir, logger, {
        defaultContentDir: join(root, "content"),
        databasePath,
      }),
    ).rejects.toMatchObject({ code: "CONTENT_DIR_EMPTY", exitCode: 2 });
    await expect(access(join(root, "nonexistent"))).rejects.toThrow();
    await expect(access(databasePath)).rejects.toThrow();
  });

  it("rejects an empty CONTENT_DIR", async () => {
    const contentDir = join(root, "empty-explicit");
    await mkdir(contentDir);
    await expect(
      ensureCatalogue(contentDir, logger, { defaultContentDir: join(root, "content") }),
    ).rejects.toThrow(
      `CONTENT_DIR ${contentDir} does not exist (or has no cards): import exports into it first (npm run import -- --content DIR FILE...) or unset CONTENT_DIR to use the sample catalogue`,
    );
    expect(await readdir(contentDir)).toEqual([]);
  });

  it("exits 2 with one line", () => {
    const contentDir = join(root, "nonexistent", "dir3");
    const script = [
      `import { ensureCatalogue, exitOnStartError } from ${JSON.stringify(STEPS_MODULE)};`,
      "const logger = { info() {}, warn() {}, error() {} };",
      `await ensureCatalogue(${JSON.stringify(contentDir)}, logger).catch(exitOnStartError);`,
    ].join("\n");
    const result = spawnSync(process.execPath, ["--input-type=module", "--eval", script], {
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `CONTENT_DIR ${contentDir} does not exist (or has no cards): import exports into it first (npm run import -- --content DIR FILE...) or unset CONTENT_DIR to use the sample catalogue\n`,
    );
  });
});

describe("prepareSite", () => {
  const contentDir = () => join(root, "site-content");
  const distDir = () => join(root, "site-dist");
  const card = () => cardPath(contentDir(), "Erasmus+", "2021-1-FR01-KA220-000002");

  it("builds, skips, then keeps the site on failure", async () => {
    await writeCardFile(card(), {
      id: "2021-1-FR01-KA220-000002",
      programme: "Erasmus+",
      title: "Start card",
      agency: "FR01",
    });
    const options = {
      contentDir: contentDir(),
      distDir: distDir(),
      mediaDir: join(root, "media"),
      logger,
    };

    await prepareSite(options);
    const builtAt = (await stat(join(distDir(), "sitemap.xml"))).mtimeMs;
    expect(await readdir(join(distDir(), "projects", "erasmus-plus"))).toEqual([
      "2021-1-fr01-ka220-000002",
    ]);

    await prepareSite(options);
    expect((await stat(join(distDir(), "sitemap.xml"))).mtimeMs).toBe(builtAt);

    // A card newer than the build triggers a rebuild; an invalid site URL makes it fail.
    const later = new Date(builtAt + 60_000);
    await utimes(card(), later, later);
    const previousUrl = process.env.SITE_URL;
    process.env.SITE_URL = "not a url";
    try {
      await prepareSite(options);
    } finally {
      if (previousUrl === undefined) delete process.env.SITE_URL;
      else process.env.SITE_URL = previousUrl;
    }
    expect((await stat(join(distDir(), "sitemap.xml"))).mtimeMs).toBe(builtAt);
    expect(
      logs.some((entry) => entry.message === "rebuild failed, serving the previous build"),
    ).toBe(true);
  }, 180_000);

  // Reuses the site the test above built, because each build takes seconds.
  it("rebuilds for the queue and rejects failures", async () => {
    const options = {
      contentDir: contentDir(),
      distDir: distDir(),
      mediaDir: join(root, "media"),
      logger,
    };
    const before = (await stat(join(distDir(), "sitemap.xml"))).mtimeMs;
    await rebuildSite(options);
    expect((await stat(join(distDir(), "sitemap.xml"))).mtimeMs).toBeGreaterThan(before);

    const previousUrl = process.env.SITE_URL;
    process.env.SITE_URL = "not a url";
    try {
      await expect(rebuildSite(options)).rejects.toMatchObject({ code: "BUILD_FAILED" });
    } finally {
      if (previousUrl === undefined) delete process.env.SITE_URL;
      else process.env.SITE_URL = previousUrl;
    }
  }, 180_000);

  // Reuses the site of the tests above; the failed build left it and its state in place.
  it("publishes a job's cards incrementally", async () => {
    const options = {
      contentDir: contentDir(),
      distDir: distDir(),
      mediaDir: join(root, "media"),
      logger,
    };
    const changed = await readCardFile(card());
    changed.editorial.website = "https://example.org/start-card";
    await writeCardFile(card(), changed);

    const published = await publishSite(options, ["2021-1-FR01-KA220-000002"]);
    expect(published.mode).toBe("incremental");
    const page = await readFile(
      join(distDir(), "projects", "erasmus-plus", "2021-1-fr01-ka220-000002", "index.html"),
      "utf8",
    );
    expect(page).toContain("https://example.org/start-card");

    // The card is newer than the last full build but was published, so start-up keeps the site.
    const served = await realpath(distDir());
    await prepareSite(options);
    expect(await realpath(distDir())).toBe(served);
  }, 180_000);
});
