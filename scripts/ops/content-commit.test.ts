/**
 * Content commits against a local bare repository: each publication becomes one commit with its
 * audit entries as the message, is pushed, and a push that the remote rejected because another
 * clone pushed first is rebased and pushed again.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditRecord } from "../../editor-api/publish/audit.ts";
import {
  commitContent,
  commitPublication,
  publicationMessage,
  readAuditMark,
} from "./content-commit.ts";

let root: string;
let remote: string;
let clone: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    "git",
    ["-c", "user.name=Test", "-c", "user.email=test@example.test", ...args],
    {
      cwd,
      encoding: "utf8",
    },
  ).trim();
}

async function writeCard(repo: string, id: string, text: string): Promise<void> {
  await mkdir(join(repo, "content/projects/erasmus-plus"), { recursive: true });
  await writeFile(join(repo, `content/projects/erasmus-plus/${id}.md`), text);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "content-commit-"));
  remote = join(root, "remote.git");
  clone = join(root, "server");
  git(root, "init", "--quiet", "--bare", "--initial-branch=main", remote);
  git(root, "clone", "--quiet", remote, clone);
  await writeCard(clone, "P1", "first\n");
  await writeFile(join(clone, "README.md"), "site\n");
  git(clone, "add", ".");
  git(clone, "commit", "--quiet", "-m", "Start");
  git(clone, "push", "--quiet", "origin", "HEAD:refs/heads/main");
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const ENTRIES: AuditRecord[] = [
  {
    id: 8,
    at: "2026-12-04T10:00:01.000Z",
    action: "publish",
    projectId: "P1",
    field: "editorial.website",
    actorId: "3",
  },
  {
    id: 7,
    at: "2026-12-04T10:00:00.000Z",
    action: "publish",
    projectId: "P1",
    field: "editorial.summary",
    actorId: "3",
  },
];

function options() {
  return { repoDir: clone, contentDir: join(clone, "content"), remote: "origin", branch: "main" };
}

describe("publicationMessage", () => {
  it("lists audit entries oldest first", () => {
    const message = publicationMessage({ id: 42, cardIds: ["P1"], reason: "publish P1" }, ENTRIES);
    expect(message.split("\n")).toEqual([
      "Publish P1",
      "",
      "Rebuild job 42: publish P1",
      "",
      "2026-12-04T10:00:00.000Z publish P1 editorial.summary by account 3 (audit 7)",
      "2026-12-04T10:00:01.000Z publish P1 editorial.website by account 3 (audit 8)",
    ]);
  });

  it("counts several cards in the subject", () => {
    const message = publicationMessage(
      { id: 5, cardIds: ["P1", "P2"], reason: "publish P1; publish P2" },
      [],
    );
    expect(message.split("\n")[0]).toBe("Publish 2 cards (rebuild job 5)");
  });
});

describe("commitPublication", () => {
  it("commits and pushes with the audit message", async () => {
    await writeCard(clone, "P1", "second\n");
    const job = { id: 42, cardIds: ["P1"], reason: "publish P1" };
    const result = await commitPublication(options(), job, (projectId, afterId) =>
      ENTRIES.filter((entry) => entry.projectId === projectId && entry.id > afterId),
    );
    expect(result.committed).toBe(true);
    expect(result.pushed).toBe(true);
    expect(git(remote, "rev-parse", "main")).toBe(result.commit);
    expect(git(remote, "log", "-1", "--format=%B", "main")).toContain(
      "editorial.summary by account 3 (audit 7)",
    );
    expect(git(remote, "show", "main:content/projects/erasmus-plus/P1.md")).toBe("second");
    expect(await readAuditMark(clone)).toBe(8);
  });

  it("lists each audit entry once", async () => {
    await writeCard(clone, "P1", "second\n");
    const list = (projectId: string, afterId: number) =>
      ENTRIES.filter((entry) => entry.projectId === projectId && entry.id > afterId);
    await commitPublication(options(), { id: 1, cardIds: ["P1"], reason: "publish P1" }, list);
    await writeCard(clone, "P1", "third\n");
    await commitPublication(options(), { id: 2, cardIds: ["P1"], reason: "publish P1" }, list);
    expect(git(remote, "log", "-1", "--format=%B", "main")).not.toContain("audit 7");
  });

  it("commits nothing without changes", async () => {
    const result = await commitContent(options(), "Publish P1");
    expect(result.committed).toBe(false);
    expect(git(remote, "log", "--format=%s", "main")).toBe("Start");
  });

  it("leaves files outside content alone", async () => {
    await writeFile(join(clone, "README.md"), "changed\n");
    git(clone, "add", "README.md");
    await writeCard(clone, "P2", "new card\n");
    await commitContent(options(), "Publish P2");
    expect(git(remote, "show", "main:README.md")).toBe("site");
    expect(git(remote, "show", "main:content/projects/erasmus-plus/P2.md")).toBe("new card");
  });

  it("rebases when another clone pushed first", async () => {
    const other = join(root, "other");
    git(root, "clone", "--quiet", remote, other);
    await writeCard(other, "P9", "from elsewhere\n");
    git(other, "add", ".");
    git(other, "commit", "--quiet", "-m", "Publish P9");
    git(other, "push", "--quiet", "origin", "HEAD:refs/heads/main");

    await writeCard(clone, "P1", "second\n");
    const result = await commitContent(options(), "Publish P1");
    expect(result.pushed).toBe(true);
    expect(git(remote, "log", "--format=%s", "main").split("\n")).toEqual([
      "Publish P1",
      "Publish P9",
      "Start",
    ]);
  });

  it("raises GIT_FAILED for a missing remote", async () => {
    await writeCard(clone, "P1", "second\n");
    const committing = commitContent(
      { ...options(), remote: "nowhere", pushAttempts: 1 },
      "Publish P1",
    );
    await expect(committing).rejects.toMatchObject({ code: "GIT_FAILED" });
  });
});
