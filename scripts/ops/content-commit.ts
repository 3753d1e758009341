/**
 * Commits the content folder to git after each publication and pushes it, so that a site built
 * in CI from the repository has the cards that the editor API wrote on its server. The commit
 * message is the publication's audit log: a subject naming the cards, and one line per audit
 * entry (time, action, project, field, acting account id). Field values are left out, because
 * they can contain personal data.
 *
 * A push rejected because the branch moved on (another instance or a developer pushed) is
 * retried after `git pull --rebase`. Content commits touch only card files, so the rebase
 * conflicts only when both sides changed the same card.
 */
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import type { AuditRecord } from "../../editor-api/publish/audit.ts";
import type { RebuildJob } from "../../editor-api/publish/queue.ts";
import { OpsError } from "./database-dump.ts";

const run = promisify(execFile);

export interface ContentCommitOptions {
  /** Root of the git working tree that contains the content folder. */
  repoDir: string;
  contentDir: string;
  /** Remote to push to, such as `origin`. No push is made when undefined. */
  remote?: string;
  /** Branch that receives the commits, `main` by default. */
  branch?: string;
  /** Author and committer shown in the history. */
  author?: { name: string; email: string };
  /** Max push attempts, each retry after a rebase on the remote branch (3 by default). */
  pushAttempts?: number;
}

export interface ContentCommitResult {
  committed: boolean;
  /** Hash of the new commit. */
  commit?: string;
  pushed: boolean;
}

const DEFAULT_AUTHOR = { name: "EU project results editor", email: "editor@localhost" };
/** Max audit lines in one commit message. Longer publications end with a count of the rest. */
const MAX_AUDIT_LINES = 200;

/** Builds the commit message of a rebuild job from its audit entries, oldest first. */
export function publicationMessage(
  job: Pick<RebuildJob, "id" | "cardIds" | "reason">,
  entries: AuditRecord[],
): string {
  const cards = job.cardIds;
  let subject = `Publish ${cards.length} cards (rebuild job ${job.id})`;
  if (cards.length === 1) subject = `Publish ${cards[0]}`;
  if (cards.length === 0) subject = `Update content: ${job.reason}`.slice(0, 72);
  const lines = [...entries]
    .sort((left, right) => left.id - right.id)
    .map((entry) => {
      const field = entry.field ? ` ${entry.field}` : "";
      const actor = entry.actorId ? ` by account ${entry.actorId}` : " by the system";
      return `${entry.at} ${entry.action} ${entry.projectId ?? "-"}${field}${actor} (audit ${entry.id})`;
    });
  const shown = lines.slice(0, MAX_AUDIT_LINES);
  if (lines.length > shown.length) shown.push(`and ${lines.length - shown.length} more entries`);
  return [
    subject,
    "",
    `Rebuild job ${job.id}: ${job.reason}`,
    ...(shown.length ? ["", ...shown] : []),
  ].join("\n");
}

/** File inside `.git` with the highest audit id already committed, so no entry is listed twice. */
export function auditMarkPath(repoDir: string): string {
  return join(repoDir, ".git", "eu-results-audit-mark");
}

export async function readAuditMark(repoDir: string): Promise<number> {
  try {
    return Number.parseInt(await readFile(auditMarkPath(repoDir), "utf8"), 10) || 0;
  } catch {
    return 0;
  }
}

async function git(repoDir: string, args: string[], author = DEFAULT_AUTHOR): Promise<string> {
  try {
    const { stdout } = await run(
      "git",
      ["-c", `user.name=${author.name}`, "-c", `user.email=${author.email}`, ...args],
      { cwd: repoDir, maxBuffer: 16 * 1024 * 1024 },
    );
    return stdout;
  } catch (error) {
    const failure = error as Error & { stderr?: string };
    throw new OpsError(
      "GIT_FAILED",
      `git ${args[0]} failed in ${repoDir}: ${(failure.stderr ?? failure.message).trim().slice(-1000)}`,
    );
  }
}

/**
 * Commits every change under the content folder with `message` and pushes it. Commits nothing
 * when the folder has no change, but still pushes earlier commits that a failed push left behind.
 */
export async function commitContent(
  options: ContentCommitOptions,
  message: string,
): Promise<ContentCommitResult> {
  const { repoDir } = options;
  const author = options.author ?? DEFAULT_AUTHOR;
  const folder = relative(repoDir, options.contentDir) || ".";
  await git(repoDir, ["add", "--all", "--", folder], author);
  const staged = await git(repoDir, ["diff", "--cached", "--name-only", "--", folder], author);
  let commit: string | undefined;
  if (staged.trim() !== "") {
    // The path limits the commit to the content folder, whatever else is staged.
    await git(repoDir, ["commit", "--quiet", "-m", message, "--", folder], author);
    commit = (await git(repoDir, ["rev-parse", "HEAD"], author)).trim();
  }
  if (!options.remote) return { committed: commit !== undefined, commit, pushed: false };

  const branch = options.branch ?? "main";
  const attempts = options.pushAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      await git(repoDir, ["push", "--quiet", options.remote, `HEAD:refs/heads/${branch}`], author);
      return { committed: commit !== undefined, commit, pushed: true };
    } catch (error) {
      if (attempt >= attempts) throw error;
      await git(
        repoDir,
        ["pull", "--quiet", "--rebase", "--autostash", options.remote, branch],
        author,
      );
    }
  }
}

/**
 * Commits the content of one rebuild job with its audit entries as the message, then records
 * the highest audit id committed. `listEntries` returns the audit entries of one project with
 * an id above the mark.
 */
export async function commitPublication(
  options: ContentCommitOptions,
  job: Pick<RebuildJob, "id" | "cardIds" | "reason">,
  listEntries: (projectId: string, afterId: number) => AuditRecord[],
): Promise<ContentCommitResult> {
  const mark = await readAuditMark(options.repoDir);
  const entries = job.cardIds.flatMap((projectId) => listEntries(projectId, mark));
  const result = await commitContent(options, publicationMessage(job, entries));
  const highest = Math.max(mark, ...entries.map((entry) => entry.id));
  if (result.committed && highest > mark) {
    await writeFile(auditMarkPath(options.repoDir), `${highest}\n`);
  }
  return result;
}
