/**
 * Webhook mode of `npm start`, for sites built in CI. Each rebuild job commits the content
 * folder with the publication's audit entries as the message and pushes it. Only then does it
 * send the signed `repository_dispatch` request, so the CI build finds the cards it must build.
 *
 * Settings: REBUILD_WEBHOOK_URL turns webhook mode on. REBUILD_WEBHOOK_SECRET (at least 32
 * characters) signs the body. REBUILD_WEBHOOK_TOKEN is sent as a bearer token (GitHub's API
 * needs it). CONTENT_GIT_REMOTE (such as `origin`) turns on the commit and push, and
 * CONTENT_GIT_BRANCH names the branch (`main` by default).
 */
import { execFileSync } from "node:child_process";
import type { Logger } from "pino";
import type { Database } from "../../editor-api/db/database.ts";
import { listAudit } from "../../editor-api/publish/audit.ts";
import type { RebuildJob } from "../../editor-api/publish/queue.ts";
import { createWebhookRunner } from "../../editor-api/publish/webhook.ts";
import { type ContentCommitOptions, commitPublication } from "./content-commit.ts";

export interface CiRebuildSettings {
  webhookUrl: string;
  secret: string;
  token?: string;
  /** Remote that receives the content commits. No commit is made when undefined. */
  gitRemote?: string;
  gitBranch: string;
}

/** Minimum length of REBUILD_WEBHOOK_SECRET, in characters. */
const MIN_SECRET_LENGTH = 32;
/** Max audit entries read per card for one commit message. */
const AUDIT_ENTRIES_PER_CARD = 500;

function problem(name: string, rule: string, value: string | undefined, hint: string): string {
  let found = "missing";
  if (value !== undefined) {
    found =
      name.includes("SECRET") || name.includes("TOKEN")
        ? "value hidden"
        : `got ${JSON.stringify(value)}`;
  }
  return `${name}: ${rule} (${found}); ${hint}`;
}

/** Reads the webhook mode settings. `settings` is undefined when REBUILD_WEBHOOK_URL is unset. */
export function loadCiRebuildSettings(env: Record<string, string | undefined>): {
  settings?: CiRebuildSettings;
  problems: string[];
} {
  const url = env.REBUILD_WEBHOOK_URL || undefined;
  if (url === undefined) return { problems: [] };
  const problems: string[] = [];
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    problems.push(
      problem(
        "REBUILD_WEBHOOK_URL",
        "must be an http(s) URL",
        url,
        "set it to https://api.github.com/repos/OWNER/REPO/dispatches or your relay",
      ),
    );
  }
  const secret = env.REBUILD_WEBHOOK_SECRET ?? "";
  if (secret.length < MIN_SECRET_LENGTH) {
    problems.push(
      problem(
        "REBUILD_WEBHOOK_SECRET",
        `must have at least ${MIN_SECRET_LENGTH} characters when REBUILD_WEBHOOK_URL is set`,
        env.REBUILD_WEBHOOK_SECRET,
        "generate one with: openssl rand -hex 32",
      ),
    );
  }
  const branch = env.CONTENT_GIT_BRANCH || "main";
  if (!/^[A-Za-z0-9._/-]+$/.test(branch) || branch.startsWith("-")) {
    problems.push(
      problem(
        "CONTENT_GIT_BRANCH",
        "must be a branch name",
        branch,
        "set it to a branch name such as main",
      ),
    );
  }
  if (problems.length > 0) return { problems };
  return {
    problems,
    settings: {
      webhookUrl: url,
      secret,
      token: env.REBUILD_WEBHOOK_TOKEN || undefined,
      gitRemote: env.CONTENT_GIT_REMOTE || undefined,
      gitBranch: branch,
    },
  };
}

/** Returns the top folder of the git working tree that contains `folder`, or undefined. */
export function gitTopLevel(folder: string): string | undefined {
  try {
    return execFileSync("git", ["rev-parse", "--show-toplevel"], {
      cwd: folder,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return undefined;
  }
}

export interface CiRebuildOptions {
  settings: CiRebuildSettings;
  contentDir: string;
  /** Top of the git working tree around the content folder, required with a git remote. */
  repoDir?: string;
  db: Database;
  logger: Logger;
}

/** Creates the rebuild queue's job runner for webhook mode. */
export function createCiRebuildRunner(
  options: CiRebuildOptions,
): (job: RebuildJob) => Promise<void> {
  const { settings, logger } = options;
  const headers: Record<string, string> = {
    accept: "application/vnd.github+json",
    "user-agent": "eu-project-results-editor",
  };
  if (settings.token) headers.authorization = `Bearer ${settings.token}`;
  const dispatch = createWebhookRunner({
    url: settings.webhookUrl,
    secret: settings.secret,
    headers,
    logger,
  });
  const git: ContentCommitOptions | undefined =
    settings.gitRemote && options.repoDir
      ? {
          repoDir: options.repoDir,
          contentDir: options.contentDir,
          remote: settings.gitRemote,
          branch: settings.gitBranch,
        }
      : undefined;

  return async (job) => {
    if (git) {
      const listEntries = (projectId: string, afterId: number) =>
        listAudit(options.db, { projectId, limit: AUDIT_ENTRIES_PER_CARD }).filter(
          (entry) => entry.id > afterId,
        );
      const result = await commitPublication(git, job, listEntries);
      logger.info(
        { jobId: job.id, commit: result.commit, pushed: result.pushed },
        "content committed",
      );
    }
    await dispatch(job);
  };
}
