/** Stored password hashes are argon2id with the configured cost, read back from the PHC string. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STANDARD_HASH_COST, TEST_HASH_COST } from "../config.ts";
import { startTestEditor, TEST_PASSWORD, type TestEditor } from "../testing/test-editor.ts";
import { hashPassword, verifyPassword } from "./password-hash.ts";

/** Splits `$argon2id$v=19$m=...,t=...,p=...$salt$hash` into its parts. */
function phcParts(hash: string) {
  const match = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/.exec(
    hash,
  );
  if (!match) throw new Error(`not an argon2 PHC string: ${hash.slice(0, 20)}...`);
  const [, algorithm, version, memory, time, lanes, salt, digest] = match;
  return {
    algorithm,
    version: Number(version),
    memoryCost: Number(memory),
    timeCost: Number(time),
    parallelism: Number(lanes),
    salt,
    digest,
  };
}

describe("hashPassword", () => {
  it("uses argon2id with the standard cost", async () => {
    const parts = phcParts(await hashPassword(TEST_PASSWORD, STANDARD_HASH_COST));
    expect(parts.algorithm).toBe("argon2id");
    expect(parts.version).toBe(19);
    expect(parts.memoryCost).toBe(19_456);
    expect(parts.timeCost).toBe(2);
    expect(parts.parallelism).toBe(1);
  });

  it("salts every hash", async () => {
    const first = phcParts(await hashPassword(TEST_PASSWORD, TEST_HASH_COST));
    const second = phcParts(await hashPassword(TEST_PASSWORD, TEST_HASH_COST));
    expect(first.salt).not.toBe(second.salt);
    expect(first.digest).not.toBe(second.digest);
    // 16 bytes of salt at least, in unpadded base64.
    expect(first.salt.length).toBeGreaterThanOrEqual(22);
  });

  it("verifies only the right password", async () => {
    const hash = await hashPassword(TEST_PASSWORD, TEST_HASH_COST);
    expect(await verifyPassword(hash, TEST_PASSWORD)).toBe(true);
    expect(await verifyPassword(hash, `${TEST_PASSWORD} `)).toBe(false);
    expect(await verifyPassword("not a hash", TEST_PASSWORD)).toBe(false);
  });
});

describe("registration hash", () => {
  let editor: TestEditor;
  beforeEach(async () => {
    editor = await startTestEditor();
  });
  afterEach(async () => {
    await editor.close();
  });

  it("stores argon2id with the configured cost", async () => {
    const registered = await editor.client().post("/api/accounts", {
      username: "MariaK",
      firstName: "Maria",
      lastName: "Kowalska",
      email: "maria@uni.example",
      password: TEST_PASSWORD,
    });
    expect(registered.status).toBe(202);
    const row = editor.db
      .prepare("SELECT password_hash FROM accounts WHERE username = ?")
      .get("MariaK") as { password_hash: string };
    const parts = phcParts(row.password_hash);
    expect(parts.algorithm).toBe("argon2id");
    expect(parts.memoryCost).toBe(TEST_HASH_COST.memoryCost);
    expect(parts.timeCost).toBe(TEST_HASH_COST.timeCost);
    expect(parts.parallelism).toBe(TEST_HASH_COST.parallelism);
    expect(row.password_hash).not.toContain(TEST_PASSWORD);
  });
});
