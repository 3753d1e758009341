/**
 * Settings of `npm start`: each test runs `node scripts/start.ts` with wrong settings and temp
 * folders, and checks the one-line messages and exit code 2 before any other work.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStartSettings } from "./start-config.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const HINT_PORT = "set PORT to a free port, such as 4321";
const HINT_URL = "the address users open, such as https://results.example.eu";
const HOST_RULE = "must be an IP address (IPv4 parts from 0 to 255) or a host name";

let folder: string;
let baseEnv: Record<string, string>;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "start-config-test-"));
  await mkdir(join(folder, "content"));
  baseEnv = {
    PATH: process.env.PATH ?? "",
    CONTENT_DIR: join(folder, "content"),
    DIST_DIR: join(folder, "dist"),
    MEDIA_DIR: join(folder, "media"),
    DATABASE_PATH: join(folder, "var", "editor.db"),
    OUTBOX_DIR: join(folder, "outbox"),
  };
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "scripts", "start.ts")], {
      cwd: folder,
      env: { ...baseEnv, ...env },
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

describe("npm start settings", () => {
  it("names PORT for every wrong value", async () => {
    for (const value of ["abc", "99999", "-1"]) {
      const result = await start({ PORT: value });
      expect(result.stderr).toBe(
        `PORT: must be a whole number from 1 to 65535 (got ${JSON.stringify(value)}); ${HINT_PORT}\n`,
      );
      expect(result.code).toBe(2);
    }
  }, 60_000);

  it("reports each wrong setting on one line", async () => {
    const file = join(folder, "not-a-folder");
    await writeFile(file, "");
    const result = await start({
      HOST: "bad host!",
      SITE_URL: "ftp://results.example.eu",
      CONTENT_DIR: file,
      DIST_DIR: file,
    });
    expect(result.stderr.split("\n")).toEqual([
      `HOST: ${HOST_RULE} (got "bad host!"); set HOST to an address of this machine, such as 127.0.0.1`,
      `SITE_URL: must be an absolute http(s) URL (got "ftp://results.example.eu"); set SITE_URL to ${HINT_URL}`,
      `CONTENT_DIR: ${file} is not a folder (got ${JSON.stringify(file)}); set CONTENT_DIR to a folder`,
      `DIST_DIR: ${file} is not a folder (got ${JSON.stringify(file)}); set DIST_DIR to a folder`,
      "",
    ]);
    expect(result.code).toBe(2);
  }, 30_000);

  it.runIf(process.platform === "linux")(
    "reports a database under /proc",
    async () => {
      const result = await start({ DATABASE_PATH: "/proc/x/editor.db" });
      expect(result.stderr).toBe(
        'DATABASE_PATH: folder /proc/x cannot be created (ENOENT) (got "/proc/x/editor.db"); set it to a file in a writable folder, such as var/editor.db\n',
      );
      expect(result.code).toBe(2);
    },
    30_000,
  );

  it("stops on a busy port before any work", async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolvePromise) => busy.listen(0, "127.0.0.1", resolvePromise));
    const port = (busy.address() as { port: number }).port;
    const content = join(folder, "busy-content");
    await mkdir(content);
    try {
      const result = await start({
        PORT: String(port),
        CONTENT_DIR: content,
        DATABASE_PATH: join(folder, "busy", "editor.db"),
      });
      expect(result.stderr).toBe(
        `PORT: port ${port} on 127.0.0.1 is in use; set PORT to a free port\n`,
      );
      expect(result.code).toBe(2);
      expect(await readdir(content)).toEqual([]);
      expect(existsSync(join(folder, "busy", "editor.db"))).toBe(false);
    } finally {
      await new Promise((resolvePromise) => busy.close(resolvePromise));
    }
  }, 30_000);
});

/** Returns a port on 127.0.0.1 that was free a moment ago, so that nothing listens on it. */
async function closedPort(): Promise<number> {
  const probe: Server = createServer();
  await new Promise<void>((resolvePromise) => probe.listen(0, "127.0.0.1", resolvePromise));
  const { port } = probe.address() as { port: number };
  await new Promise((resolvePromise) => probe.close(resolvePromise));
  return port;
}

describe("npm start database and folder checks", () => {
  it("names DATABASE_URL without its password", async () => {
    const databasePort = await closedPort();
    const url = `postgres://nobody:secretpw@127.0.0.1:${databasePort}/x`;
    const result = await start({ DATABASE_URL: url, PORT: String(await closedPort()) });
    expect(result.stderr).toBe(
      `DATABASE_URL: the database postgres://nobody:redacted@127.0.0.1:${databasePort}/x cannot be opened (connect ECONNREFUSED 127.0.0.1:${databasePort}); check that the PostgreSQL server runs and accepts this user and password, or correct DATABASE_URL\n`,
    );
    expect(result.stderr).not.toContain("secretpw");
    expect(result.code).toBe(2);
  }, 60_000);

  it("names DATABASE_PATH for a file that is no database", async () => {
    const file = join(folder, "not-a-database.db");
    await writeFile(file, "plain text, not SQLite: ".repeat(20));
    const result = await start({ DATABASE_PATH: file, PORT: String(await closedPort()) });
    expect(result.stderr).toBe(
      `DATABASE_PATH: the database ${file} cannot be opened (file is not a database); set DATABASE_PATH to a file in a writable folder, such as var/editor.db\n`,
    );
    expect(result.code).toBe(2);
  }, 60_000);

  it("names DATABASE_PATH for a folder", async () => {
    const databaseFolder = join(folder, "database-folder");
    await mkdir(databaseFolder, { recursive: true });
    const result = await start({ DATABASE_PATH: databaseFolder, PORT: String(await closedPort()) });
    expect(result.stderr).toBe(
      `DATABASE_PATH: the database ${databaseFolder} cannot be opened (unable to open database file); set DATABASE_PATH to a file in a writable folder, such as var/editor.db\n`,
    );
    expect(result.code).toBe(2);
  }, 60_000);

  it("names HOST for an IPv4 address out of range", async () => {
    const result = await start({ HOST: "999.1.1.1", PORT: String(await closedPort()) });
    expect(result.stderr).toBe(
      `HOST: ${HOST_RULE} (got "999.1.1.1"); set HOST to an address of this machine, such as 127.0.0.1\n`,
    );
    expect(result.code).toBe(2);
  }, 30_000);

  it("names OUTBOX_DIR inside a file", async () => {
    const file = join(folder, "outbox-file");
    await writeFile(file, "");
    const outbox = join(file, "outbox");
    const result = await start({ OUTBOX_DIR: outbox, PORT: String(await closedPort()) });
    expect(result.stderr).toBe(
      `OUTBOX_DIR: ${file} is not a folder (got ${JSON.stringify(outbox)}); set it to a writable folder, or unset it for var/outbox\n`,
    );
    expect(result.code).toBe(2);
  }, 30_000);
});

describe("loadStartSettings", () => {
  it("defaults SITE_URL and PUBLIC_URL to HOST:PORT", () => {
    const settings = loadStartSettings({ ...baseEnv, PORT: "4455" }, ROOT);
    expect(settings.siteUrl).toBe("http://127.0.0.1:4455");
    expect(settings.editor.publicUrl.href).toBe("http://127.0.0.1:4455/");
    expect(settings.editor.port).toBe(4455);
  });

  it("takes PUBLIC_URL for SITE_URL and back", () => {
    const site = loadStartSettings({ ...baseEnv, SITE_URL: "https://results.example.eu" }, ROOT);
    expect(site.editor.publicUrl.href).toBe("https://results.example.eu/");
    const editor = loadStartSettings(
      { ...baseEnv, PUBLIC_URL: "https://results.example.eu" },
      ROOT,
    );
    expect(editor.siteUrl).toBe("https://results.example.eu");
  });

  it("brackets an IPv6 host", () => {
    const settings = loadStartSettings({ ...baseEnv, HOST: "::1", PORT: "4455" }, ROOT);
    expect(settings.siteUrl).toBe("http://[::1]:4455");
  });

  it("rejects hosts that URLs read as other addresses", () => {
    for (const host of ["999.1.1.1", "1.2.3", "0x7f.1"]) {
      expect(() => loadStartSettings({ ...baseEnv, HOST: host }, ROOT)).toThrow(
        `HOST: ${HOST_RULE} (got ${JSON.stringify(host)})`,
      );
    }
  });

  it("creates a missing OUTBOX_DIR", () => {
    const outbox = join(folder, "new-outbox", "mails");
    const settings = loadStartSettings({ ...baseEnv, OUTBOX_DIR: outbox }, ROOT);
    expect(settings.editor.outboxDir).toBe(outbox);
    expect(existsSync(outbox)).toBe(true);
  });

  it("reads the shutdown grace period", () => {
    expect(loadStartSettings(baseEnv, ROOT).shutdownGraceMs).toBe(25_000);
    const settings = loadStartSettings({ ...baseEnv, SHUTDOWN_GRACE_SECONDS: "5" }, ROOT);
    expect(settings.shutdownGraceMs).toBe(5000);
  });

  it("reads the scheduled import", () => {
    expect(loadStartSettings(baseEnv, ROOT).scheduledImport).toBeUndefined();
    const settings = loadStartSettings(
      { ...baseEnv, IMPORT_URLS: "https://exports.example.eu/a.csv", IMPORT_SCHEDULE: "04:30" },
      ROOT,
    );
    expect(settings.scheduledImport?.dailyAt).toBe("04:30");
  });
});

describe("npm start operations settings", () => {
  it("names wrong operations settings", async () => {
    const result = await start({
      SHUTDOWN_GRACE_SECONDS: "0",
      IMPORT_URLS: "https://exports.example.eu/a.csv",
      IMPORT_SCHEDULE: "25:00",
      REBUILD_LEASE_MS: "10",
    });
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n").filter(Boolean)).toEqual([
      'SHUTDOWN_GRACE_SECONDS: must be a whole number of seconds from 1 to 3600 (got "0"); set it below the time your service manager waits before killing the process, such as 25',
      'IMPORT_SCHEDULE: must be a time of day in UTC as HH:MM (got "25:00"); set it such as 05:00',
      'REBUILD_LEASE_MS: must be a whole number of milliseconds, at least 1000 (got "10"); set REBUILD_LEASE_MS to such a number, or unset it for the default',
    ]);
  });

  it("requires a git clone for CONTENT_GIT_REMOTE", async () => {
    const result = await start({
      REBUILD_WEBHOOK_URL: "http://127.0.0.1:9/dispatches",
      REBUILD_WEBHOOK_SECRET: "0123456789abcdef0123456789abcdef",
      CONTENT_GIT_REMOTE: "origin",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `CONTENT_GIT_REMOTE: CONTENT_DIR ${join(folder, "content")} is not inside a git working tree`,
    );
  });
});
