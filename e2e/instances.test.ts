/**
 * Two `npm start` processes (scripts/start.ts) on one database, one content folder and one
 * site folder, as two instances behind one address would run. The steps share the two
 * processes, so they run in order. A session made on one instance works on the other, and a
 * lockout on one applies on the other. Two writes to one card through both instances leave one
 * winner and one VERSION_CONFLICT. The instance that runs a rebuild job is killed (SIGKILL)
 * mid-job, and the other finishes the job exactly once and serves the change.
 *
 * The SQLite variant always runs. The PostgreSQL variant runs when TEST_DATABASE_URL is set.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAccount, type Role } from "../editor-api/accounts/account.ts";
import { hashPassword } from "../editor-api/auth/password-hash.ts";
import { TEST_HASH_COST } from "../editor-api/config.ts";
import type { Database } from "../editor-api/db/database.ts";
import { openDatabase } from "../editor-api/db/open.ts";
import { createProjectLock } from "../editor-api/projects/project-lock.ts";
import { buildSite } from "../pipeline/build/build.ts";
import { closePagefind } from "../pipeline/build/pagefind.ts";
import { type Card, listCardFiles, readCardFile } from "../pipeline/card/index.ts";
import { writeSampleCards } from "../pipeline/sample/write.ts";

const REPOSITORY_ROOT = resolve(import.meta.dirname, "..");
const START_SCRIPT = join(REPOSITORY_ROOT, "scripts", "start.ts");
const PASSWORD = "copper heron 61 estuary";
/** Lease of a rebuild job: the survivor takes over a killed instance's job this long after. */
const LEASE_MS = 3000;
/** Upper bound of each wait below; only a broken platform reaches it. */
const WAIT_MS = 120_000;

/** One `node scripts/start.ts` process and its pino log lines. */
interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
  exited: Promise<unknown>;
  logs: LogLine[];
}

type LogLine = { msg?: string; jobId?: number; [field: string]: unknown };

type JobRow = { id: number; state: string; attempts: number; lease_owner: string | null };

/** Database of one variant: where the instances find it, and connections for the test. */
interface VariantDatabase {
  env: Record<string, string>;
  open(): Database;
  drop(): void;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port assigned");
  return address.port;
}

/** Polls `probe` until it returns a value; fails with `what` after WAIT_MS. */
async function waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 25));
  }
}

function describeInstances(
  variant: string,
  createDatabase: (root: string) => Promise<VariantDatabase>,
) {
  describe(`two instances on ${variant}`, () => {
    let root: string;
    let contentDir: string;
    let database: VariantDatabase;
    let db: Database;
    let card: Card;
    let cardFile: string;
    let cardPage: string;
    const instances: Instance[] = [];
    let publicOrigin: string;

    async function startInstance(name: string, port: number): Promise<Instance> {
      const env: Record<string, string | undefined> = {
        ...process.env,
        ...database.env,
        HOST: "127.0.0.1",
        PORT: String(port),
        PUBLIC_URL: publicOrigin,
        SITE_URL: publicOrigin,
        CONTENT_DIR: contentDir,
        DIST_DIR: join(root, "dist"),
        MEDIA_DIR: join(root, "media"),
        OUTBOX_DIR: join(root, "outbox"),
        PASSWORD_HASH_COST: "test",
        REBUILD_DEBOUNCE_MS: "200",
        REBUILD_LEASE_MS: String(LEASE_MS),
        REBUILD_POLL_MS: "100",
        npm_lifecycle_event: undefined,
      };

      // A process group of its own, so that a kill also stops the build's child processes.
      const child = spawn(process.execPath, [START_SCRIPT], {
        cwd: REPOSITORY_ROOT,
        env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const instance: Instance = {
        name,
        url: `http://127.0.0.1:${port}`,
        child,
        exited: once(child, "exit"),
        logs: [],
      };
      instances.push(instance);

      let pending = "";
      child.stdout?.setEncoding("utf8");
      child.stdout?.on("data", (chunk: string) => {
        pending += chunk;
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) {
          try {
            instance.logs.push(JSON.parse(line) as LogLine);
          } catch {
            instance.logs.push({ msg: line });
          }
        }
      });

      let errors = "";
      child.stderr?.setEncoding("utf8");
      child.stderr?.on("data", (chunk: string) => {
        errors += chunk;
      });
      await waitFor(`${name} to serve`, () => {
        if (child.exitCode !== null) {
          throw new Error(`${name} exited with code ${child.exitCode}: ${errors}`);
        }
        return instance.logs.find((line) => line.msg === "serving the catalogue");
      });
      return instance;
    }

    async function request(
      instance: Instance,
      path: string,
      options: { method?: string; body?: unknown; session?: Session; version?: number } = {},
    ): Promise<Response> {
      const headers: Record<string, string> = { origin: publicOrigin };
      if (options.body !== undefined) headers["content-type"] = "application/json";
      if (options.session) {
        headers.cookie = options.session.cookie;
        headers["x-csrf-token"] = options.session.csrfToken;
      }
      if (options.version !== undefined) headers["if-match"] = `"${options.version}"`;
      return fetch(`${instance.url}${path}`, {
        method: options.method ?? "GET",
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    }

    type Session = { cookie: string; csrfToken: string };

    async function signIn(instance: Instance, login: string): Promise<Session> {
      const response = await request(instance, "/api/auth/login", {
        method: "POST",
        body: { login, password: PASSWORD },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { csrfToken: string };
      const cookie = response.headers.getSetCookie()[0]?.split(";")[0] ?? "";
      return { cookie, csrfToken: body.csrfToken };
    }

    async function projectVersion(instance: Instance, session: Session): Promise<number> {
      const response = await request(instance, `/api/projects/${card.id}`, { session });
      expect(response.status).toBe(200);
      return ((await response.json()) as { version: number }).version;
    }

    function jobs(): JobRow[] {
      const rows = db
        .prepare("SELECT id, state, attempts, lease_owner FROM rebuild_jobs ORDER BY id")
        .all();
      // Rows come back untyped, so each column is converted to the type the test reads.
      return rows.map((row) => ({
        id: Number(row.id),
        state: String(row.state),
        attempts: Number(row.attempts),
        lease_owner: row.lease_owner === null ? null : String(row.lease_owner),
      }));
    }

    function lastJobId(): number {
      return jobs().at(-1)?.id ?? 0;
    }

    async function allJobsDone(): Promise<void> {
      await waitFor("every rebuild job to finish", () =>
        jobs().every((job) => job.state === "done") ? true : undefined,
      );
    }

    function logsOf(instance: Instance, message: string, jobId: number): LogLine[] {
      return instance.logs.filter((line) => line.msg === message && line.jobId === jobId);
    }

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), "e2e-instances-"));
      contentDir = join(root, "content");
      await mkdir(join(root, "media"), { recursive: true });
      await writeSampleCards(contentDir, 20, "instances");
      // A card still open for changes: cards lock two years after their end date.
      const today = new Date().toISOString().slice(0, 10);
      for await (const file of listCardFiles(contentDir)) {
        const candidate = await readCardFile(file);
        if (candidate.endDate !== undefined && candidate.endDate >= today) {
          card = candidate;
          cardFile = file;
          cardPage = `/${relative(contentDir, file).replace(/\.md$/, "/").toLowerCase()}`;
          break;
        }
      }
      expect(card, "a sample card that ends in the future").toBeDefined();

      database = await createDatabase(root);
      db = database.open();
      const hash = await hashPassword(PASSWORD, TEST_HASH_COST);
      const accounts: [string, Role][] = [
        ["Helpdesk1", "helpdesk"],
        ["Camille", "beneficiary"],
      ];
      for (const [username, role] of accounts) {
        insertAccount(
          db,
          {
            username,
            firstName: "Test",
            lastName: username,
            email: `${username.toLowerCase()}@example.test`,
            passwordHash: hash,
            role,
            agency: null,
            emailVerified: true,
          },
          new Date(),
        );
      }

      // The site exists before the instances start, so neither builds it at start.
      await buildSite({ contentDir, outDir: join(root, "dist"), mediaDir: join(root, "media") });
      await closePagefind();

      const [portA, portB] = [await freePort(), await freePort()];
      publicOrigin = `http://127.0.0.1:${portA}`;
      // One after the other, so that only one fills the project index at start.
      await startInstance("A", portA);
      await startInstance("B", portB);
    }, 300_000);

    afterAll(async () => {
      for (const instance of instances) {
        if (instance.child.exitCode !== null || instance.child.signalCode !== null) continue;
        process.kill(-(instance.child.pid ?? 0), "SIGTERM");
        const forced = setTimeout(
          () => process.kill(-(instance.child.pid ?? 0), "SIGKILL"),
          15_000,
        );
        await instance.exited;
        clearTimeout(forced);
      }
      db?.close();
      database?.drop();
      if (root) await rm(root, { recursive: true, force: true });
    }, 60_000);

    it("shares sessions between instances", async () => {
      const [a, b] = instances;
      const session = await signIn(a, "Helpdesk1");
      const onB = await request(b, "/api/session", { session });
      expect(onB.status).toBe(200);
      expect(((await onB.json()) as { account: { username: string } }).account.username).toBe(
        "Helpdesk1",
      );

      const signOut = await request(b, "/api/auth/logout", { method: "POST", session });
      expect(signOut.status).toBe(204);
      const onA = await request(a, "/api/session", { session });
      expect(onA.status).toBe(401);
    });

    it("applies a lockout on both instances", async () => {
      const [a, b] = instances;
      const statuses: number[] = [];
      for (let attempt = 1; attempt <= 5; attempt++) {
        const wrong = await request(a, "/api/auth/login", {
          method: "POST",
          body: { login: "Camille", password: "not the password" },
        });
        statuses.push(wrong.status);
      }
      // The fifth failure locks the account, so its own response is already 423.
      expect(statuses).toEqual([401, 401, 401, 401, 423]);
      const locked = await request(b, "/api/auth/login", {
        method: "POST",
        body: { login: "Camille", password: PASSWORD },
      });
      expect(locked.status).toBe(423);
      expect(((await locked.json()) as { error: { code: string } }).error.code).toBe(
        "ACCOUNT_LOCKED",
      );
    });

    it("orders writes to one card across instances", async () => {
      const [a, b] = instances;
      const session = await signIn(a, "Helpdesk1");
      const version = await projectVersion(a, session);
      const websites = ["https://first.example.org/", "https://second.example.org/"];

      // The test takes the project lock first, so both writes wait for it and race once it is
      // released. A lock kept per process would let both pass the version check.
      const lock = createProjectLock({ db, ownerPrefix: "test" });
      expect(lock.tryAcquire(card.id, "test-holder")).toBe(true);
      const writes = [a, b].map((instance, index) =>
        request(instance, `/api/projects/${card.id}/website`, {
          method: "PUT",
          session,
          version,
          body: { website: websites[index] },
        }),
      );
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 500));
      lock.release(card.id, "test-holder");
      const responses = await Promise.all(writes);

      const statuses = responses.map((response) => response.status);
      expect(statuses.toSorted()).toEqual([200, 409]);
      const winner = statuses.indexOf(200);
      const loser = responses[statuses.indexOf(409)];
      expect(((await loser.json()) as { error: { code: string } }).error.code).toBe(
        "VERSION_CONFLICT",
      );
      const stored = await readCardFile(cardFile);
      expect(stored.editorial?.website).toBe(websites[winner]);
      expect(await projectVersion(b, session)).toBe(version + 1);
      const changes = db
        .prepare("SELECT change FROM project_changes WHERE project_id = ? AND version > ?")
        .all(card.id, version);
      expect(changes).toEqual([{ change: "website" }]);
      await allJobsDone();
    });

    it("loses no update under concurrent writers", async () => {
      const session = await signIn(instances[0], "Helpdesk1");
      const start = await projectVersion(instances[0], session);
      const writers = 6;

      // Each writer reads the version and writes, and reads again after a conflict.
      async function write(index: number): Promise<{ version: number; website: string }> {
        const instance = instances[index % 2];
        const website = `https://writer-${index}.example.org/`;
        for (;;) {
          const response = await request(instance, `/api/projects/${card.id}/website`, {
            method: "PUT",
            session,
            version: await projectVersion(instance, session),
            body: { website },
          });
          if (response.status === 200) {
            return { version: ((await response.json()) as { version: number }).version, website };
          }
          expect(response.status).toBe(409);
        }
      }
      const results = await Promise.all(
        Array.from({ length: writers }, (_, index) => write(index)),
      );

      const versions = results.map((result) => result.version).toSorted((x, y) => x - y);
      expect(versions).toEqual(Array.from({ length: writers }, (_, index) => start + index + 1));
      const last = results.find((result) => result.version === start + writers);
      expect((await readCardFile(cardFile)).editorial?.website).toBe(last?.website);
      await allJobsDone();
    });

    it("finishes a killed instance's rebuild once", async () => {
      const session = await signIn(instances[1], "Helpdesk1");
      let victim: Instance | undefined;
      let jobId = 0;
      let website = "";
      // A build can finish before the test reads its running state, so each round publishes again.
      for (let round = 1; round <= 3 && victim === undefined; round++) {
        const before = lastJobId();
        website = `https://killed-build-${round}.example.org/`;
        const response = await request(instances[0], `/api/projects/${card.id}/website`, {
          method: "PUT",
          session,
          version: await projectVersion(instances[0], session),
          body: { website },
        });
        expect(response.status).toBe(200);
        const job = await waitFor("the rebuild job to start", () =>
          jobs().find((row) => row.id > before && row.state !== "queued"),
        );
        jobId = job.id;
        const runner = instances.find(
          (instance) => `start-${instance.child.pid}` === job.lease_owner,
        );
        if (job.state !== "running" || runner === undefined) continue;
        // Freeze the runner first, then check that the job is still its own and unfinished.
        process.kill(-(runner.child.pid ?? 0), "SIGSTOP");
        const frozen = jobs().find((row) => row.id === jobId);
        // The runner claims the job before it writes "rebuild started", so a runner frozen in
        // between is let go, like one that already finished. The pause lets its output pipe
        // deliver the lines written before the stop.
        await new Promise((resolvePromise) => setTimeout(resolvePromise, 200));
        const started = logsOf(runner, "rebuild started", jobId).length === 1;
        if (started && frozen?.state === "running" && frozen.lease_owner === job.lease_owner) {
          process.kill(-(runner.child.pid ?? 0), "SIGKILL");
          await runner.exited;
          victim = runner;
        } else {
          process.kill(-(runner.child.pid ?? 0), "SIGCONT");
          await allJobsDone();
        }
      }
      if (victim === undefined) throw new Error("no rebuild job was caught running in 3 rounds");
      const survivor = instances.find((instance) => instance !== victim) as Instance;

      const finished = await waitFor("the survivor to finish the job", () =>
        jobs().find((row) => row.id === jobId && row.state === "done"),
      );
      expect(finished.attempts).toBe(2);
      expect(finished.lease_owner).toBeNull();
      expect(logsOf(victim, "rebuild started", jobId)).toHaveLength(1);
      expect(logsOf(victim, "rebuild done", jobId)).toHaveLength(0);
      expect(logsOf(survivor, "rebuild lease expired", jobId)).toHaveLength(1);
      expect(logsOf(survivor, "rebuild started", jobId)).toHaveLength(1);
      // The job row turns "done" just before the survivor writes that line to its output pipe.
      await waitFor("the survivor's rebuild done line", () =>
        logsOf(survivor, "rebuild done", jobId).length > 0 ? true : undefined,
      );
      expect(logsOf(survivor, "rebuild done", jobId)).toHaveLength(1);
      expect(jobs().filter((row) => row.state !== "done")).toEqual([]);

      const audited = db
        .prepare(
          "SELECT count(*) AS count FROM audit_log WHERE project_id = ? AND new_value LIKE ?",
        )
        .get(card.id, `%${website}%`) as { count: number };
      expect(Number(audited.count)).toBe(1);
      const page = await fetch(`${survivor.url}${cardPage}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(website);
    });
  });
}

describeInstances("SQLite", async (root) => {
  const file = join(root, "editor.db");
  return { env: { DATABASE_PATH: file }, open: () => openDatabase(file), drop: () => {} };
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("PostgreSQL", () => {
  describeInstances("PostgreSQL", async (root) => {
    const { createTestDatabase } = await import("../editor-api/db/test-database.ts");
    const created = createTestDatabase(root);
    return {
      env: { DATABASE_URL: created.location },
      open: created.open,
      drop: created.drop,
    };
  });
});
