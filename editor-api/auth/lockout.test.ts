/**
 * Sign-in must not reveal which names have an account: an unknown name gets the same responses
 * and lock as an account with a wrong password, and every path runs one argon2 verification.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMITS } from "../config.ts";
import { startTestEditor, type TestEditor } from "../testing/test-editor.ts";
import { LOCKOUT_MS, MAX_FAILED_LOGINS } from "./lockout.ts";
import { passwordVerificationCount } from "./password-hash.ts";

const WRONG = "not the right password";
/** Enough sign-in attempts per window for every test here. */
const GENEROUS_LOGIN_LIMIT = { limit: 1000, windowMs: 60_000 };

let editor: TestEditor;
beforeEach(async () => {
  editor = await startTestEditor({
    config: { rateLimits: { ...DEFAULT_RATE_LIMITS, login: GENEROUS_LOGIN_LIMIT } },
  });
  await editor.createAccount({ username: "Anna", email: "anna@ngo.example" });
});
afterEach(async () => {
  await editor.close();
});

type Outcome = { status: number; code: string; unlockAt?: string };

async function attempt(login: string, password = WRONG): Promise<Outcome> {
  const response = await editor.client().signIn(login, password);
  if (response.status === 200) return { status: 200, code: "" };
  const body = (await response.json()) as { error: { code: string; unlockAt?: string } };
  return { status: response.status, code: body.error.code, unlockAt: body.error.unlockAt };
}

async function attempts(login: string, count: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let index = 0; index < count; index += 1) outcomes.push(await attempt(login));
  return outcomes;
}

/** Returns how many argon2 verifications one sign-in attempt ran. */
async function verificationsOf(login: string, password = WRONG): Promise<number> {
  const before = passwordVerificationCount();
  await attempt(login, password);
  return passwordVerificationCount() - before;
}

describe("lockout of unknown names", () => {
  it("responds like an existing account", async () => {
    const count = MAX_FAILED_LOGINS + 2;
    const existing = await attempts("Anna", count);
    const unknown = await attempts("Nobody", count);
    expect(unknown).toEqual(existing);
    expect(existing.at(MAX_FAILED_LOGINS - 2)?.status).toBe(401);
    expect(existing.at(MAX_FAILED_LOGINS - 1)?.status).toBe(423);
    expect(existing.at(-1)?.code).toBe("ACCOUNT_LOCKED");
  });

  it("unlocks after the same time", async () => {
    await attempts("Anna", MAX_FAILED_LOGINS);
    await attempts("Nobody", MAX_FAILED_LOGINS);
    editor.clock.advance(LOCKOUT_MS - 1000);
    expect((await attempt("Anna")).status).toBe(423);
    expect((await attempt("Nobody")).status).toBe(423);
    editor.clock.advance(1000);
    expect((await attempt("Anna")).status).toBe(401);
    expect((await attempt("Nobody")).status).toBe(401);
  });

  it("counts names without regard to case", async () => {
    for (const login of ["Nobody", "NOBODY", "nobody", "noBody"]) await attempt(login);
    expect((await attempt("NoBoDy")).status).toBe(423);
  });

  it("locks an account without a password", async () => {
    editor.db.prepare("UPDATE accounts SET password_hash = NULL WHERE username = ?").run("Anna");
    const outcomes = await attempts("Anna", MAX_FAILED_LOGINS);
    expect(outcomes.at(-2)?.status).toBe(401);
    expect(outcomes.at(-1)?.status).toBe(423);
  });
});

describe("sign-in work", () => {
  it("verifies once for an unknown name", async () => {
    expect(await verificationsOf("Nobody")).toBe(1);
  });

  it("verifies once for a wrong password", async () => {
    expect(await verificationsOf("Anna")).toBe(1);
  });

  it("verifies once for the right password", async () => {
    expect(await verificationsOf("Anna", "violet tram 48 lantern")).toBe(1);
  });

  it("verifies once for a locked account", async () => {
    await attempts("Anna", MAX_FAILED_LOGINS);
    expect((await attempt("Anna")).status).toBe(423);
    expect(await verificationsOf("Anna")).toBe(1);
  });

  it("verifies once for a locked unknown name", async () => {
    await attempts("Nobody", MAX_FAILED_LOGINS);
    expect((await attempt("Nobody")).status).toBe(423);
    expect(await verificationsOf("Nobody")).toBe(1);
  });
});
