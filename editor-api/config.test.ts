import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  loadConfig,
  prepareDatabaseFolder,
  STANDARD_HASH_COST,
  TEST_HASH_COST,
} from "./config.ts";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("loadConfig", () => {
  it("applies the defaults", () => {
    const config = loadConfig({ PUBLIC_URL: "https://results.example.eu" });
    expect(config.databasePath).toBe("var/editor.db");
    expect(config.outboxDir).toBe("var/outbox");
    expect(config.smtpUrl).toBeUndefined();
    expect(config.oidc).toBeUndefined();
    expect(config.cookieSecure).toBe(true);
    expect(config.trustProxy).toBe(false);
    expect(config.passwordHashCost).toEqual(STANDARD_HASH_COST);
  });

  it("turns Secure cookies off for local development", () => {
    const cases: [Record<string, string>, boolean][] = [
      [{ PUBLIC_URL: "http://127.0.0.1:4321" }, false],
      [{ PUBLIC_URL: "http://localhost:4321" }, false],
      [{ PUBLIC_URL: "https://results.example.eu", NODE_ENV: "development" }, false],
      [{ PUBLIC_URL: "http://results.example.eu" }, true],
      [{ PUBLIC_URL: "http://127.0.0.1:4321", COOKIE_SECURE: "true" }, true],
    ];
    for (const [env, secure] of cases) {
      expect(loadConfig(env).cookieSecure, JSON.stringify(env)).toBe(secure);
    }
  });

  it("reads OIDC and the test hash cost", () => {
    const config = loadConfig({
      PUBLIC_URL: "https://results.example.eu",
      OIDC_ISSUER: "https://login.example.eu",
      OIDC_CLIENT_ID: "results",
      OIDC_CLIENT_SECRET: "secret",
      OIDC_DISABLE_PASSWORD_LOGIN: "true",
      PASSWORD_HASH_COST: "test",
    });
    expect(config.oidc?.issuer.href).toBe("https://login.example.eu/");
    expect(config.oidc?.disablePasswordLogin).toBe(true);
    expect(config.passwordHashCost).toEqual(TEST_HASH_COST);
  });

  it("reports one line per wrong setting", () => {
    const problems = problemsOf({
      PUBLIC_URL: "results.example.eu",
      SMTP_URL: "http://mail.example.eu",
      TRUST_PROXY: "yes",
      PORT: "70000",
    });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^PUBLIC_URL: .*"results.example.eu"/);
    expect(problems.some((line) => line.startsWith("SMTP_URL:"))).toBe(true);
    expect(problems.some((line) => line.startsWith("TRUST_PROXY: must be true or false"))).toBe(
      true,
    );
    expect(problems.some((line) => line.startsWith("PORT:"))).toBe(true);
  });

  it("reports a missing PUBLIC_URL", () => {
    expect(problemsOf({})).toEqual([
      expect.stringMatching(/^PUBLIC_URL: .*\(missing\); set it to the address users open/),
    ]);
  });

  it("requires all three OIDC settings together", () => {
    const problems = problemsOf({
      PUBLIC_URL: "https://results.example.eu",
      OIDC_ISSUER: "https://login.example.eu",
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^OIDC_CLIENT_ID: is required because OIDC_ISSUER is set/);
  });
});

describe("loadConfig PORT", () => {
  it("names PORT for every wrong value", () => {
    for (const value of ["abc", "99999", "-1", "4.5", ""]) {
      expect(problemsOf({ PUBLIC_URL: "https://results.example.eu", PORT: value })).toEqual([
        `PORT: must be a whole number from 0 to 65535 (got ${JSON.stringify(value)}); set it to a free port, such as 4321`,
      ]);
    }
  });

  it("defaults to 4322", () => {
    expect(loadConfig({ PUBLIC_URL: "https://results.example.eu" }).port).toBe(4322);
  });
});

describe("prepareDatabaseFolder", () => {
  it("creates a missing folder", async () => {
    const root = await mkdtemp(join(tmpdir(), "database-folder-test-"));
    try {
      expect(prepareDatabaseFolder(join(root, "a", "b", "editor.db"))).toBeUndefined();
      expect((await stat(join(root, "a", "b"))).isDirectory()).toBe(true);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("reports a folder that is a file", async () => {
    const root = await mkdtemp(join(tmpdir(), "database-folder-test-"));
    try {
      const file = join(root, "file");
      await writeFile(file, "");
      expect(prepareDatabaseFolder(join(file, "editor.db"))).toBe(
        `DATABASE_PATH: ${file} is not a folder (got ${JSON.stringify(join(file, "editor.db"))}); set it to a file in a writable folder, such as var/editor.db`,
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it.runIf(process.platform === "linux")("reports a folder under /proc at once", () => {
    expect(prepareDatabaseFolder("/proc/x/editor.db")).toBe(
      'DATABASE_PATH: folder /proc/x cannot be created (ENOENT) (got "/proc/x/editor.db"); set it to a file in a writable folder, such as var/editor.db',
    );
  });
});

describe("loadConfig DATABASE_URL", () => {
  const PUBLIC_URL = "https://results.example.eu";

  it("takes precedence over DATABASE_PATH", () => {
    const url = "postgres://editor:pw@127.0.0.1:5432/results";
    const config = loadConfig({ PUBLIC_URL, DATABASE_PATH: "var/other.db", DATABASE_URL: url });
    expect(config.databasePath).toBe(url);
  });

  it("hides a wrong value", () => {
    const problems = problemsOf({ PUBLIC_URL, DATABASE_URL: "mysql://editor:pw@db/results" });
    expect(problems).toEqual([
      "DATABASE_URL: must be a postgres://, postgresql:// or sqlite: URL (value hidden); set it such as postgres://editor@db.example.eu/results, or unset it to use DATABASE_PATH",
    ]);
  });

  it("needs no folder for PostgreSQL", () => {
    expect(prepareDatabaseFolder("postgres://editor@127.0.0.1/results")).toBeUndefined();
  });
});
