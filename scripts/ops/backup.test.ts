/**
 * Backup and restore with real components: sample cards, accounts in the editor database
 * (SQLite, or PostgreSQL when TEST_DATABASE_URL is set), and attachments stored through the
 * upload store. The backup is taken while a connection keeps the database open with rows still
 * in the write-ahead log, then everything is wiped and restored and compared by SHA-256.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Readable } from "node:stream";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { insertAccount } from "../../editor-api/accounts/account.ts";
import type { Database } from "../../editor-api/db/database.ts";
import { PostgresDatabase } from "../../editor-api/db/postgres.ts";
import {
  createTestDatabase,
  type TestDatabase,
  testDialect,
  testServerUrl,
} from "../../editor-api/db/test-database.ts";
import { createUploadStore } from "../../editor-api/uploads/store.ts";
import { writeSampleCards } from "../../pipeline/sample/write.ts";
import { createBackup } from "./backup.ts";
import { OpsError } from "./database-dump.ts";
import { restoreBackup } from "./restore.ts";

const NOW = new Date("2026-12-04T10:00:00Z");
const USERNAMES = ["Camille", "Jonas", "Helpdesk1"];
const ATTACHMENTS = ["Final report of the project\n", "Teaching guide, second edition\n"];

let root: string;
let database: TestDatabase;
let db: Database | undefined;
let paths: { database: string; contentDir: string; attachmentsDir: string };

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "ops-backup-"));
  database = createTestDatabase(root);
  paths = {
    database: database.location,
    contentDir: join(root, "content"),
    attachmentsDir: join(root, "attachments"),
  };
  await writeSampleCards(paths.contentDir, 6, "backup-test");
  db = database.open();
  if (testDialect === "sqlite") db.exec("PRAGMA wal_autocheckpoint = 0");
  for (const username of USERNAMES) {
    insertAccount(
      db,
      {
        username,
        firstName: "Test",
        lastName: username,
        email: `${username.toLowerCase()}@example.test`,
        passwordHash: null,
        role: username.startsWith("Helpdesk") ? "helpdesk" : "beneficiary",
        agency: null,
        emailVerified: true,
      },
      NOW,
    );
  }
  const uploads = createUploadStore({
    root: paths.attachmentsDir,
    logger: pino({ level: "silent" }),
  });
  for (const [index, text] of ATTACHMENTS.entries()) {
    const stored = await uploads.put(Readable.from([Buffer.from(text)]), `result-${index}.txt`);
    if (!stored.ok) throw new Error(`test upload failed: ${stored.message}`);
    if (index === 0) await uploads.markPublished(stored.file.sha256);
  }
});

afterEach(async () => {
  if (db?.isOpen) db.close();
  database.drop();
  await rm(root, { recursive: true, force: true });
});

/** Returns every file under `folder` with its SHA-256. */
async function hashes(folder: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    result[relative(folder, path)] = createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
  }
  return result;
}

function usernames(connection: Database): string[] {
  const rows = connection.prepare("SELECT username FROM accounts ORDER BY username").all();
  return rows.map((row) => String(row.username));
}

async function wipe(): Promise<void> {
  if (db?.isOpen) db.close();
  await rm(paths.contentDir, { recursive: true });
  await rm(paths.attachmentsDir, { recursive: true });
  if (testDialect === "sqlite") {
    for (const suffix of ["", "-wal", "-shm"])
      await rm(`${paths.database}${suffix}`, { force: true });
  } else {
    // The same schema is restored into, so it is dropped here but not replaced.
    const schema = /search_path=(\w+)/.exec(
      new URL(database.location).searchParams.get("options") ?? "",
    )?.[1];
    const admin = new PostgresDatabase(testServerUrl() ?? "");
    try {
      admin.exec(`DROP SCHEMA ${schema} CASCADE`);
    } finally {
      admin.close();
    }
  }
}

describe("backup and restore", () => {
  it("restores every card, account and file", async () => {
    const cards = await hashes(paths.contentDir);
    const attachments = await hashes(paths.attachmentsDir);
    const backupsDir = join(root, "backups");

    const { folder, manifest } = await createBackup({
      ...paths,
      outDir: backupsDir,
      clock: () => NOW,
    });
    expect(manifest.counts).toEqual({ cards: 6, attachments: 2 });
    expect(await readdir(backupsDir)).toEqual(["backup-2026-12-04T10-00-00-000Z"]);
    // Written after the backup, so the restore must not contain it.
    db?.prepare("UPDATE accounts SET first_name = 'Later' WHERE username = 'Jonas'").run();

    await wipe();
    await restoreBackup({ ...paths, database: database.location, backupDir: folder });

    expect(await hashes(paths.contentDir)).toEqual(cards);
    expect(await hashes(paths.attachmentsDir)).toEqual(attachments);
    const restored = database.open();
    try {
      expect(usernames(restored)).toEqual([...USERNAMES].sort());
      const jonas = restored
        .prepare("SELECT first_name FROM accounts WHERE username = 'Jonas'")
        .get();
      expect(jonas?.first_name).toBe("Test");
    } finally {
      restored.close();
    }
  });

  it("rejects a corrupt backup untouched", async () => {
    const { folder, manifest } = await createBackup({ ...paths, outDir: join(root, "backups") });
    const card = manifest.files.find((entry) => entry.path.endsWith(".md"));
    await writeFile(join(folder, ...(card?.path ?? "").split("/")), "changed\n");
    await wipe();

    const restoring = restoreBackup({ ...paths, database: database.location, backupDir: folder });
    await expect(restoring).rejects.toMatchObject({ code: "BACKUP_CORRUPT" });
    await expect(readdir(paths.contentDir)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("rejects a manifest path outside the folders", async () => {
    const { folder, manifest } = await createBackup({ ...paths, outDir: join(root, "backups") });
    const first = manifest.files[0];
    const edited = { ...manifest, files: [{ ...first, path: "content/../../escaped.md" }] };
    await writeFile(join(folder, "manifest.json"), JSON.stringify(edited));
    await wipe();

    const restoring = restoreBackup({ ...paths, database: database.location, backupDir: folder });
    await expect(restoring).rejects.toMatchObject({ code: "BACKUP_CORRUPT" });
    await expect(readdir(paths.contentDir)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("rejects a target with data", async () => {
    const { folder } = await createBackup({ ...paths, outDir: join(root, "backups") });
    const restoring = restoreBackup({ ...paths, backupDir: folder });
    await expect(restoring).rejects.toBeInstanceOf(OpsError);
    await expect(restoring).rejects.toMatchObject({ code: "TARGET_NOT_EMPTY" });
  });

  it("moves existing data aside with force", async () => {
    const cards = await hashes(paths.contentDir);
    const { folder } = await createBackup({ ...paths, outDir: join(root, "backups") });
    await writeFile(join(paths.contentDir, "stray.md"), "not a card\n");
    if (db?.isOpen) db.close();

    const { movedAside } = await restoreBackup({
      ...paths,
      backupDir: folder,
      force: true,
      clock: () => NOW,
    });
    expect(await hashes(paths.contentDir)).toEqual(cards);
    const contentAside = movedAside.find((path) => path.startsWith(paths.contentDir));
    expect(contentAside).toBe(`${paths.contentDir}.before-restore-2026-12-04T10-00-00-000Z`);
    expect(await readFile(join(contentAside ?? "", "stray.md"), "utf8")).toBe("not a card\n");
  });

  it("leaves no folder after a failed backup", async () => {
    const backupsDir = join(root, "backups");
    await mkdir(backupsDir);
    const missing =
      testDialect === "sqlite" ? join(root, "missing.db") : "postgres://127.0.0.1:1/none";
    const backingUp = createBackup({ ...paths, database: missing, outDir: backupsDir });
    await expect(backingUp).rejects.toBeInstanceOf(OpsError);
    expect(await readdir(backupsDir)).toEqual([]);
  });
});
