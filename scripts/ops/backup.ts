/**
 * `node scripts/ops/backup.ts [--out DIR]`: an online backup of the editor database, the
 * content folder and the attachments, taken while the server runs.
 *
 * The database is copied first, then the files, so an attachment that the copied database
 * refers to is in the backup unless it was deleted while the backup ran. The backup is written
 * to `<name>.partial` and renamed when it is complete, with `manifest.json` listing every file
 * with its size and SHA-256.
 *
 * Settings as for `npm start`: DATABASE_URL or DATABASE_PATH (default var/editor.db),
 * CONTENT_DIR (content), ATTACHMENTS_DIR, else MEDIA_DIR (var/media). Exit codes: 0 written,
 * 1 failed, 2 wrong arguments.
 */
import { mkdir, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../../pipeline/card/index.ts";
import { checkOutputFolder, reportUsageError, toUsageError, UsageError } from "./cli-arguments.ts";
import { databaseKind, dumpDatabase, OpsError } from "./database-dump.ts";
import {
  copyWithHash,
  hashFile,
  listFiles,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  type Manifest,
  type ManifestEntry,
  mapInParallel,
} from "./manifest.ts";

export interface BackupOptions {
  /** Database location: a SQLite file, a `sqlite:` URL or a `postgres://` URL. */
  database: string;
  contentDir: string;
  attachmentsDir: string;
  /** Folder that receives the backup folder. */
  outDir: string;
  clock?: () => Date;
}

export interface BackupResult {
  folder: string;
  manifest: Manifest;
}

/** Folders of a backup, by the part of the platform they contain. */
export const BACKUP_PARTS = { content: "content", attachments: "attachments" } as const;

/** Returns the database file name inside a backup. */
export function databaseFileName(kind: Manifest["database"]["kind"]): string {
  return kind === "postgresql" ? "database.pgdump" : "database.sqlite";
}

async function copyTree(source: string, backupDir: string, part: string): Promise<ManifestEntry[]> {
  const copied = await mapInParallel(await listFiles(source), async (path) => {
    const inside = `${part}/${path.split(/[\\/]/).join("/")}`;
    const target = join(backupDir, ...inside.split("/"));
    try {
      return { path: inside, ...(await copyWithHash(join(source, path), target)) };
    } catch (error) {
      // The file was deleted after the listing, such as a card removed while the backup ran.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      await rm(target, { force: true });
      return undefined;
    }
  });
  return copied.filter((entry): entry is ManifestEntry => entry !== undefined);
}

/** Counts the cards and the stored attachments (sidecars and markers left out). */
export function countParts(files: ManifestEntry[]): Manifest["counts"] {
  let cards = 0;
  let attachments = 0;
  for (const { path } of files) {
    if (path.startsWith("content/projects/") && path.endsWith(".md")) cards += 1;
    if (/^attachments\/(?:[0-9a-f]{2}\/)?[0-9a-f]{64}$/.test(path)) attachments += 1;
  }
  return { cards, attachments };
}

/** Takes a backup into a new folder under `options.outDir` and returns it with its manifest. */
export async function createBackup(options: BackupOptions): Promise<BackupResult> {
  const createdAt = (options.clock ?? (() => new Date()))().toISOString();
  const name = `backup-${createdAt.replace(/[:.]/g, "-")}`;
  const folder = join(options.outDir, name);
  const partial = `${folder}.partial`;
  await mkdir(options.outDir, { recursive: true });
  // Fails when the folder exists, so two backups never write into one folder.
  await mkdir(partial);

  let manifest: Manifest;
  try {
    const kind = databaseKind(options.database);
    const databaseFile = databaseFileName(kind);
    await dumpDatabase(options.database, join(partial, databaseFile));
    const database = {
      kind,
      entry: { path: databaseFile, ...(await hashFile(join(partial, databaseFile))) },
    };

    const files = [
      ...(await copyTree(options.contentDir, partial, BACKUP_PARTS.content)),
      ...(await copyTree(options.attachmentsDir, partial, BACKUP_PARTS.attachments)),
    ];
    manifest = {
      format: MANIFEST_FORMAT,
      createdAt,
      database,
      files,
      counts: countParts(files),
    };
    await writeFileAtomic(join(partial, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  await rename(partial, folder);
  return { folder, manifest };
}

/** Reads the platform's folders and database from the environment, as `npm start` does. */
export function locationsFromEnv(env: Record<string, string | undefined>) {
  const media = env.MEDIA_DIR || "var/media";
  return {
    database: env.DATABASE_URL || env.DATABASE_PATH || "var/editor.db",
    contentDir: resolve(env.CONTENT_DIR || "content"),
    attachmentsDir: resolve(env.ATTACHMENTS_DIR || media),
  };
}

const USAGE =
  "Usage: npm run backup -- [--out DIR] (DIR: folder for the backup, default var/backups)";

async function main(argv: string[]): Promise<number> {
  let values: { out: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { out: { type: "string", default: "var/backups" } },
    }));
    checkOutputFolder("--out", values.out);
  } catch (error) {
    const usageError = toUsageError(error);
    if (usageError instanceof UsageError) return reportUsageError(usageError, USAGE);
    throw error;
  }
  try {
    const { folder, manifest } = await createBackup({
      ...locationsFromEnv(process.env),
      outDir: resolve(values.out),
    });
    const { cards, attachments } = manifest.counts;
    process.stdout.write(
      `backup ${folder}: ${manifest.database.kind} database, ${cards} cards, ${attachments} attachments, ${manifest.files.length} files\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof OpsError)) throw error;
    process.stderr.write(`${error.code}: ${error.message}\n`);
    return 1;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
