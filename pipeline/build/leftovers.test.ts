import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildFolders } from "./build.ts";
import { claimWorkDir, removeLeftovers, UNOWNED_GRACE_MS, workDirOf } from "./leftovers.ts";
import { buildsDirOf } from "./swap.ts";

let root: string;
let outDir: string;
let astroBuildsDir: string;

/** Pid of a process that has exited, so no live process has it (barring reuse). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

async function folder(path: string, ageMs: number, owner?: number): Promise<void> {
  await mkdir(path, { recursive: true });
  if (owner !== undefined) await claimWorkDir(path, owner);
  const time = new Date(Date.now() - ageMs);
  await utimes(path, time, time);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "build-leftovers-test-"));
  outDir = join(root, "dist");
  astroBuildsDir = join(root, "astro-builds");
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("buildFolders", () => {
  it("stages beside the output whatever TMPDIR is", () => {
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = "/dev/shm";
    try {
      for (const plain of [false, true]) {
        const folders = buildFolders(outDir, "1a2b3c4d", plain, new Date());
        for (const path of [folders.stagingDir, folders.workDir, folders.buildDir]) {
          expect(path.startsWith(`${dirname(outDir)}/`), path).toBe(true);
        }
        expect(folders.workDir).toBe(join(root, ".build", "eu-results-build-1a2b3c4d"));
      }
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
  });
});

describe("removeLeftovers", () => {
  it("removes folders of dead builds only", async () => {
    const buildsDir = buildsDirOf(outDir);
    const dead = deadPid();
    const hour = 60 * 60 * 1000;
    // A build killed an hour ago: work, partial, plain staging and Astro folders.
    await folder(workDirOf(outDir, "deadbeef"), hour, dead);
    await folder(join(buildsDir, "20261204T100000Z-deadbeef.partial"), hour);
    await folder(join(root, ".dist.building-deadbeef"), hour);
    await folder(join(astroBuildsDir, "deadbeef"), hour, dead);
    // A build still running in this process.
    await folder(workDirOf(outDir, "11ve11ve"), hour, process.pid);
    await folder(join(buildsDir, "20261204T100000Z-11ve11ve.partial"), hour);
    await folder(join(astroBuildsDir, "11ve11ve"), hour, process.pid);
    // A folder without an owner, younger than the grace period.
    await folder(join(buildsDir, "20261204T110000Z-0000fresh.partial"), UNOWNED_GRACE_MS / 2);
    // A finished build is not a leftover.
    await folder(join(buildsDir, "20261204T090000Z-f1n15hed"), hour);

    const removed = await removeLeftovers({
      outDir,
      buildsDir,
      astroBuildsDir,
      startedAt: Date.now(),
    });

    expect(removed.sort()).toEqual(
      [
        workDirOf(outDir, "deadbeef"),
        join(buildsDir, "20261204T100000Z-deadbeef.partial"),
        join(root, ".dist.building-deadbeef"),
        join(astroBuildsDir, "deadbeef"),
      ].sort(),
    );
    expect((await readdir(buildsDir)).sort()).toEqual([
      "20261204T090000Z-f1n15hed",
      "20261204T100000Z-11ve11ve.partial",
      "20261204T110000Z-0000fresh.partial",
    ]);
    expect(await readdir(astroBuildsDir)).toEqual(["11ve11ve"]);
  });

  it("keeps folders newer than the running build", async () => {
    const buildsDir = buildsDirOf(outDir);
    await folder(workDirOf(outDir, "deadbeef"), 0, deadPid());
    const removed = await removeLeftovers({
      outDir,
      buildsDir,
      astroBuildsDir,
      startedAt: Date.now() - 60_000,
    });
    expect(removed).toEqual([]);
  });

  it("accepts a missing build folder", async () => {
    const removed = await removeLeftovers({
      outDir,
      buildsDir: buildsDirOf(outDir),
      astroBuildsDir,
      startedAt: Date.now(),
    });
    expect(removed).toEqual([]);
  });
});

describe("claimWorkDir", () => {
  it("writes the pid", async () => {
    await mkdir(join(root, "work"));
    await claimWorkDir(join(root, "work"), 4242);
    expect(await readFile(join(root, "work", "pid"), "utf8")).toBe("4242\n");
  });
});
