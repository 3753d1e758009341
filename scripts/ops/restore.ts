/**
 * `node scripts/ops/restore.ts BACKUP_FOLDER [--force]`: restores a backup written by
 * scripts/ops/backup.ts. Stop every server process that uses the database and folders first.
 *
 * Every file of the backup is checked against its manifest before anything is touched. A
 * SQLite database, a content folder or an attachments folder that is not empty is rejected,
 * unless `--force` is given. With `--force` it is moved aside to `<name>.before-restore-<time>`
 * and never deleted. On PostgreSQL, `--force` lets pg_restore drop and recreate the tables of
 * the dump. The restored files are hashed again at the end.
 *
 * Settings as for scripts/ops/backup.ts (DATABASE_URL or DATABASE_PATH, CONTENT_DIR,
 * ATTACHMENTS_DIR or MEDIA_DIR). Exit codes: 0 restored, 1 failed (the message names the cause),
 * 2 wrong arguments.
 */
import { existsSync } from "node:fs";
import { copyFile, readdir, rename, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PostgresDatabase } from "../../editor-api/db/postgres.ts";
import { BACKUP_PARTS, locationsFromEnv } from "./backup.ts";
import { checkBackupFolder, reportUsageError, toUsageError, UsageError } from "./cli-arguments.ts";
import {
  checkSqliteIntegrity,
  databaseKind,
  OpsError,
  restorePostgres,
  sqliteFile,
} from "./database-dump.ts";
import {
  copyWithHash,
  findMismatches,
  MANIFEST_FILE,
  type Manifest,
  type ManifestEntry,
  mapInParallel,
  readManifest,
} from "./manifest.ts";

export interface RestoreOptions {
  /** A backup folder, containing `manifest.json`. */
  backupDir: string;
  database: string;
  contentDir: string;
  attachmentsDir: string;
  /** Moves existing data aside (SQLite, folders) or replaces the dumped tables (PostgreSQL). */
  force?: boolean;
  clock?: () => Date;
}

export interface RestoreResult {
  manifest: Manifest;
  /** Paths that existing data was moved to. */
  movedAside: string[];
}

/** Max mismatch lines shown in an error. The rest are counted. */
const SHOWN_PROBLEMS = 10;

function listProblems(problems: string[]): string {
  const listed = problems.slice(0, SHOWN_PROBLEMS).join("; ");
  const more = problems.length - SHOWN_PROBLEMS;
  return more > 0 ? `${listed}; and ${more} more` : listed;
}

async function isNonEmptyFolder(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length > 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

function postgresHasTables(location: string): boolean {
  const db = new PostgresDatabase(location);
  try {
    const row = db
      .prepare(
        "SELECT count(*) AS count FROM information_schema.tables WHERE table_schema = current_schema()",
      )
      .get() as { count: number };
    return Number(row.count) > 0;
  } finally {
    db.close();
  }
}

/** Returns the existing data that a restore would overwrite: files, folders or a database. */
async function existingTargets(options: RestoreOptions): Promise<string[]> {
  const found: string[] = [];
  if (databaseKind(options.database) === "sqlite") {
    const file = sqliteFile(options.database);
    for (const path of [file, `${file}-wal`, `${file}-shm`]) {
      if (existsSync(path)) found.push(path);
    }
  }
  for (const folder of [options.contentDir, options.attachmentsDir]) {
    if (await isNonEmptyFolder(folder)) found.push(folder);
  }
  return found;
}

/** Restores the backup in `options.backupDir` and returns its manifest. */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const manifest = await readManifest(options.backupDir);
  const targets = fileTargets(options, manifest);
  const corrupt = await findMismatches(options.backupDir, [
    manifest.database.entry,
    ...manifest.files,
  ]);
  if (corrupt.length > 0) {
    throw new OpsError(
      "BACKUP_CORRUPT",
      `backup ${options.backupDir} does not match its manifest: ${listProblems(corrupt)}; nothing was restored, so restore another backup`,
    );
  }
  const kind = databaseKind(options.database);
  if (kind !== manifest.database.kind) {
    throw new OpsError(
      "DATABASE_KIND_MISMATCH",
      `the backup contains a ${manifest.database.kind} database but the target is ${kind}; set DATABASE_URL or DATABASE_PATH to a ${manifest.database.kind} database`,
    );
  }

  const existing = await existingTargets(options);
  const postgresInUse = kind === "postgresql" && postgresHasTables(options.database);
  if ((existing.length > 0 || postgresInUse) && !options.force) {
    const occupied = postgresInUse ? [...existing, "the PostgreSQL schema"] : existing;
    throw new OpsError(
      "TARGET_NOT_EMPTY",
      `${occupied.join(", ")} already contain data; stop the server, then run the restore again with --force to move them aside`,
    );
  }
  const stamp = (options.clock ?? (() => new Date()))().toISOString().replace(/[:.]/g, "-");
  const movedAside: string[] = [];
  for (const path of existing) {
    const aside = `${path}.before-restore-${stamp}`;
    await rename(path, aside);
    movedAside.push(aside);
  }

  await restoreFiles(options, targets);
  await restoreDatabase(options, manifest);
  return { manifest, movedAside };
}

/** A file of the backup and where it is restored to. */
interface FileTarget {
  entry: ManifestEntry;
  target: string;
}

/**
 * Maps every manifest entry to its place in the content or attachments folder. An entry outside
 * them (`..`, another top folder) raises BACKUP_CORRUPT before any file is read or written.
 */
function fileTargets(options: RestoreOptions, manifest: Manifest): FileTarget[] {
  const roots: Record<string, string> = {
    [BACKUP_PARTS.content]: options.contentDir,
    [BACKUP_PARTS.attachments]: options.attachmentsDir,
  };
  return manifest.files.map((entry) => {
    const [part, ...rest] = entry.path.split("/");
    const root = roots[part];
    if (root === undefined || rest.length === 0 || rest.includes("..") || rest.includes("")) {
      throw new OpsError(
        "BACKUP_CORRUPT",
        `manifest entry ${entry.path} is outside the content and attachments folders; restore another backup`,
      );
    }
    return { entry, target: join(root, ...rest) };
  });
}

async function restoreFiles(options: RestoreOptions, targets: FileTarget[]): Promise<void> {
  const outcomes = await mapInParallel(targets, async ({ entry, target }) => {
    const copied = await copyWithHash(join(options.backupDir, ...entry.path.split("/")), target);
    return copied.sha256 === entry.sha256
      ? undefined
      : `${entry.path}: SHA-256 differs after copying`;
  });
  const problems = outcomes.filter((problem) => problem !== undefined);
  if (problems.length > 0) {
    throw new OpsError(
      "RESTORE_MISMATCH",
      `restored files differ from the backup: ${listProblems(problems)}; check the disk, then restore again with --force`,
    );
  }
}

async function restoreDatabase(options: RestoreOptions, manifest: Manifest): Promise<void> {
  const source = join(options.backupDir, manifest.database.entry.path);
  if (manifest.database.kind === "postgresql") {
    await restorePostgres(options.database, source);
    return;
  }
  const file = resolve(sqliteFile(options.database));
  const temporary = join(dirname(file), `.restore-${process.pid}.sqlite`);
  await copyFile(source, temporary);
  try {
    checkSqliteIntegrity(temporary);
    await rename(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
}

const USAGE =
  "Usage: npm run restore -- BACKUP_FOLDER [--force] (--force moves existing data aside first)";

/** Reads the arguments: one backup folder and `--force`. Throws a `UsageError` when wrong. */
function readArguments(argv: string[]): { backupDir: string; force: boolean } {
  let parsed: { values: { force: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: { force: { type: "boolean", default: false } },
      allowPositionals: true,
    });
  } catch (error) {
    throw toUsageError(error);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    throw new UsageError(
      `expected one backup folder, got ${positionals.length} arguments; give the folder to restore`,
    );
  }
  const backupDir = positionals[0] ?? "";
  checkBackupFolder(backupDir, MANIFEST_FILE);
  return { backupDir: resolve(backupDir), force: values.force };
}

async function main(argv: string[]): Promise<number> {
  let options: { backupDir: string; force: boolean };
  try {
    options = readArguments(argv);
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError(error, USAGE);
    throw error;
  }
  try {
    const { manifest, movedAside } = await restoreBackup({
      ...locationsFromEnv(process.env),
      ...options,
    });
    for (const path of movedAside) process.stdout.write(`moved aside: ${path}\n`);
    const { cards, attachments } = manifest.counts;
    process.stdout.write(
      `restored backup of ${manifest.createdAt}: ${cards} cards, ${attachments} attachments, ${manifest.database.kind} database\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof OpsError)) throw error;
    process.stderr.write(`${error.code}: ${error.message}\n`);
    return 1;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
