/**
 * Arguments of the backup and restore CLIs: each case runs the CLI as a child process and checks
 * the one-line problem, the usage line and exit code 2, before any backup or restore work.
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const OPS = resolve(import.meta.dirname);
const BACKUP_USAGE =
  "Usage: npm run backup -- [--out DIR] (DIR: folder for the backup, default var/backups)";
const RESTORE_USAGE =
  "Usage: npm run restore -- BACKUP_FOLDER [--force] (--force moves existing data aside first)";
const BACKUP_HINT = "give a folder written by npm run backup, such as var/backups/backup-<time>";

let folder: string;
let file: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "ops-cli-test-"));
  file = join(folder, "afile");
  await writeFile(file, "");
  await mkdir(join(folder, "no-manifest"));
  await mkdir(join(folder, "bad-manifest"));
  await writeFile(join(folder, "bad-manifest", "manifest.json"), "{ not json");
  await mkdir(join(folder, "work"));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Runs `scripts/ops/<script>` with the platform's folders inside the temp folder. */
function run(script: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(OPS, script), ...args], {
      cwd: join(folder, "work"),
      env: {
        PATH: process.env.PATH ?? "",
        DATABASE_PATH: join(folder, "work", "editor.db"),
        CONTENT_DIR: join(folder, "work", "content"),
        MEDIA_DIR: join(folder, "work", "media"),
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stderr }));
  });
}

describe("backup arguments", () => {
  const cases: [string, () => string[], () => string][] = [
    [
      "unknown option",
      () => ["--outt", "/tmp/x"],
      () => "unknown option --outt; remove it or correct its spelling",
    ],
    [
      "--out inside a file",
      () => ["--out", join(file, "x")],
      () =>
        `--out ${join(file, "x")}: ${file} is not a folder; give a folder that exists or can be created`,
    ],
    [
      "--out without value",
      () => ["--out"],
      () => "option --out is missing its value; write --out VALUE",
    ],
    ["extra argument", () => ["extra"], () => "unexpected argument extra; remove it"],
  ];
  for (const [name, args, problem] of cases) {
    it(`rejects ${name}`, async () => {
      const result = await run("backup.ts", args());
      expect(result.stderr).toBe(`${problem()}\n${BACKUP_USAGE}\n`);
      expect(result.code).toBe(2);
    }, 30_000);
  }

  it("writes nothing for wrong arguments", async () => {
    await run("backup.ts", ["--outt", join(folder, "backups")]);
    expect(await readdir(join(folder, "work"))).toEqual([]);
  }, 30_000);
});

describe("restore arguments", () => {
  const cases: [string, () => string[], () => string][] = [
    [
      "unknown option",
      () => ["--bogus"],
      () => "unknown option --bogus; remove it or correct its spelling",
    ],
    [
      "missing folder",
      () => ["/nonexistent/backup"],
      () => `backup folder /nonexistent/backup not found; ${BACKUP_HINT}`,
    ],
    ["a file", () => [file], () => `backup folder ${file} is not a folder; ${BACKUP_HINT}`],
    [
      "folder without manifest",
      () => [join(folder, "no-manifest")],
      () =>
        `manifest.json not found in ${join(folder, "no-manifest")}, so it is not a backup folder; ${BACKUP_HINT}`,
    ],
    [
      "no folder",
      () => [],
      () => "expected one backup folder, got 0 arguments; give the folder to restore",
    ],
    [
      "two folders",
      () => ["a", "b"],
      () => "expected one backup folder, got 2 arguments; give the folder to restore",
    ],
    [
      "value for --force",
      () => ["--force=yes", "x"],
      () => "option --force takes no value; remove the value",
    ],
  ];
  for (const [name, args, problem] of cases) {
    it(`rejects ${name}`, async () => {
      const result = await run("restore.ts", args());
      expect(result.stderr).toBe(`${problem()}\n${RESTORE_USAGE}\n`);
      expect(result.code).toBe(2);
    }, 30_000);
  }

  it("reports a manifest that is not JSON", async () => {
    const result = await run("restore.ts", [join(folder, "bad-manifest")]);
    expect(result.stderr).toMatch(
      /^BACKUP_CORRUPT: \S+manifest\.json is not valid JSON \(.+\); nothing was restored, so restore another backup\n$/,
    );
    expect(result.code).toBe(1);
  }, 30_000);
});
