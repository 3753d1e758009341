/**
 * The whole platform as `npm start` runs it, for the fault tests: `scripts/start.ts` in a child
 * process on 127.0.0.1. Its content, site, attachments and database folders are temporary but
 * outlive the process, so a test can SIGKILL it and start it again on the same data.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, relative, resolve } from "node:path";
import { insertAccount } from "../editor-api/accounts/account.ts";
import { hashPassword } from "../editor-api/auth/password-hash.ts";
import { TEST_HASH_COST } from "../editor-api/config.ts";
import { openDatabase } from "../editor-api/db/open.ts";
import { DANCE_CARD, OTHER_CARD } from "../editor-api/projects/fixtures.ts";
import { TEST_PASSWORD, TestClient } from "../editor-api/testing/test-editor.ts";
import { cardPath, listCardFiles, parseCardText, writeCardFile } from "../pipeline/card/index.ts";
import { importContacts } from "../pipeline/contacts/import.ts";

const REPOSITORY_ROOT = resolve(import.meta.dirname, "..");
/** Time a start may take, dashboard bundle and site build included, in milliseconds. */
const START_TIMEOUT_MS = 240_000;

/** The beneficiary who may edit DANCE_CARD. */
export const BENEFICIARY = "Camille";

/** Folders of one platform's data; they stay on disk across restarts. */
export interface PlatformFolders {
  root: string;
  contentDir: string;
  distDir: string;
  mediaDir: string;
  databasePath: string;
}

export function platformFolders(root: string): PlatformFolders {
  return {
    root,
    contentDir: join(root, "content"),
    distDir: join(root, "dist"),
    mediaDir: join(root, "media"),
    databasePath: join(root, "editor.db"),
  };
}

/**
 * Writes two cards and a database with one verified beneficiary whose e-mail address the
 * contacts feed links to DANCE_CARD.
 */
export async function seedPlatform(folders: PlatformFolders): Promise<void> {
  for (const card of [DANCE_CARD, OTHER_CARD]) {
    await writeCardFile(cardPath(folders.contentDir, card.programme, card.id), card);
  }
  mkdirSync(folders.mediaDir, { recursive: true });
  const db = openDatabase(folders.databasePath);
  try {
    insertAccount(
      db,
      {
        username: BENEFICIARY,
        firstName: "Camille",
        lastName: "Test",
        email: "camille@example.test",
        passwordHash: await hashPassword(TEST_PASSWORD, TEST_HASH_COST),
        role: "beneficiary",
        agency: null,
        emailVerified: true,
      },
      new Date(),
    );
    const feed = join(folders.root, "contacts.csv");
    writeFileSync(
      feed,
      "Project Identifier;Contact name;Contact e-mail;Contact phone;Contact role;Organisation\n" +
        `${DANCE_CARD.id};Camille Test;camille@example.test;;;\n`,
    );
    const report = await importContacts(feed, db);
    if (report.rejected) throw new Error(`contacts feed rejected: ${JSON.stringify(report)}`);
  } finally {
    db.close();
  }
}

/** Returns a port that was free a moment ago; `npm start` takes no port 0. */
function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen({ host: "127.0.0.1", port: 0 }, () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolvePromise(port));
    });
  });
}

/** One pino line of the server's standard output. */
export type LogLine = { msg?: string; level?: number; [field: string]: unknown };

export interface RunningPlatform {
  origin: string;
  child: ChildProcess;
  /** Every log line so far, parsed. */
  logs: LogLine[];
  /** Resolves with the first log line, past or future, that matches. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Sends SIGKILL and waits for the process to end. */
  kill(): Promise<void>;
  /** Returns a client signed in as the beneficiary. */
  signIn(): Promise<TestClient>;
}

export interface StartOptions {
  /** Extra environment variables of the server, such as the rebuild queue's timing. */
  env?: Record<string, string>;
  /**
   * Folders to cover with a tmpfs of the given size in bytes, mounted in a private mount
   * namespace of the child (`unshare --mount`, needs root), so that a test can fill them.
   */
  tmpfs?: { path: string; bytes: number }[];
}

/** True when this machine lets the tests mount a tmpfs in a private mount namespace. */
export function canMountTmpfs(): boolean {
  const probe = spawnSync(
    "unshare",
    ["--mount", "--propagation", "private", "sh", "-c", "mount -t tmpfs -o size=4k tmpfs /mnt"],
    { stdio: "ignore" },
  );
  return probe.status === 0;
}

/** Starts `scripts/start.ts` over `folders` and resolves once it serves. */
export async function startPlatform(
  folders: PlatformFolders,
  options: StartOptions = {},
): Promise<RunningPlatform> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    HOST: "127.0.0.1",
    PORT: String(port),
    CONTENT_DIR: folders.contentDir,
    DIST_DIR: folders.distDir,
    MEDIA_DIR: folders.mediaDir,
    DATABASE_PATH: folders.databasePath,
    OUTBOX_DIR: join(folders.root, "outbox"),
    PASSWORD_HASH_COST: "test",
    ...options.env,
  };
  // Settings of the developer's shell that would point the server elsewhere.
  for (const name of [
    "SMTP_URL",
    "SITE_URL",
    "PUBLIC_URL",
    "ATTACHMENTS_DIR",
    "npm_lifecycle_event",
  ]) {
    delete env[name];
  }
  const node = [process.execPath, join(REPOSITORY_ROOT, "scripts", "start.ts")];
  let command = node;
  if (options.tmpfs && options.tmpfs.length > 0) {
    // The mount exists only for the child; `exec` keeps the child's pid that of node, so that
    // SIGKILL reaches the server and /proc/<pid>/root shows its view of the mounts.
    const mounts = options.tmpfs
      .map((_mount, index) => {
        const size = `$${2 * index + 1}`;
        const path = `$${2 * index + 2}`;
        // The folder's files are copied aside and back, because the mount hides them.
        return (
          `mkdir -p "${path}" && rm -rf "${path}.seed" && cp -a "${path}" "${path}.seed" && ` +
          `mount -t tmpfs -o size=${size} tmpfs "${path}" && cp -a "${path}.seed/." "${path}/"`
        );
      })
      .join(" && ");
    const shiftArguments = options.tmpfs.flatMap((mount) => [String(mount.bytes), mount.path]);
    const script = `${mounts} && shift ${shiftArguments.length} && exec "$@"`;
    command = [
      "unshare",
      "--mount",
      "--propagation",
      "private",
      "sh",
      "-c",
      script,
      "sh",
      ...shiftArguments,
      ...node,
    ];
  }
  const [program = "", ...args] = command;
  const child = spawn(program, args, {
    cwd: REPOSITORY_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });

  const logs: LogLine[] = [];
  const waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  let pending = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const text of lines) {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        line = { msg: text };
      }
      logs.push(line);
      for (const waiter of [...waiters]) {
        if (!waiter.match(line)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolvePromise) => child.once("exit", () => resolvePromise()));

  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs = START_TIMEOUT_MS) => {
    const seen = logs.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<LogLine>((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        const recent = logs
          .slice(-8)
          .map((line) => line.msg)
          .join(" | ");
        reject(
          new Error(
            `no matching log line within ${timeoutMs} ms; last messages: ${recent}; stderr: ${stderr}`,
          ),
        );
      }, timeoutMs);
      waiters.push({
        match,
        resolve: (line) => {
          clearTimeout(timer);
          resolvePromise(line);
        },
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`the server exited (code ${child.exitCode}); stderr: ${stderr}`));
      });
    });
  };

  await waitForLog((line) => line.msg === "serving the catalogue");
  return {
    origin,
    child,
    logs,
    waitForLog,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    async signIn() {
      const client = new TestClient(origin);
      const response = await client.signIn(BENEFICIARY);
      if (response.status !== 200) {
        throw new Error(`sign-in of ${BENEFICIARY} failed with ${response.status}`);
      }
      return client;
    },
  };
}

/** Lists the files under `folder`, relative to it, sorted; [] when it does not exist. */
export function listFiles(folder: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() || entry.isSymbolicLink())
      .map((entry) => relative(folder, join(entry.parentPath, entry.name)));
  } catch {
    return [];
  }
  return entries.sort();
}

/** Parses every card file of the folder; returns the names of those that fail to parse. */
export async function unreadableCards(contentDir: string): Promise<string[]> {
  const failed: string[] = [];
  for await (const file of listCardFiles(contentDir)) {
    try {
      parseCardText(readFileSync(file, "utf8"));
    } catch {
      failed.push(relative(contentDir, file));
    }
  }
  return failed;
}
