/** Password hashing with argon2id (`@node-rs/argon2`). */
import { type Algorithm, hash, verify } from "@node-rs/argon2";
import type { PasswordHashCost } from "../config.ts";

/** `Algorithm.Argon2id`: the package declares a const enum, which type stripping cannot read. */
const ARGON2ID = 2 as Algorithm;

export function hashPassword(password: string, cost: PasswordHashCost): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, ...cost });
}

let verifications = 0;

/**
 * Returns how many argon2 verifications this process has started. Tests compare it before and
 * after a request to check that every sign-in path does the same hashing work.
 */
export function passwordVerificationCount(): number {
  return verifications;
}

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  verifications += 1;
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

const dummyHashes = new Map<string, Promise<string>>();

/**
 * Verifies `password` against a throw-away hash of the same cost, so a request for an unknown
 * account takes about as long as one for a real account.
 */
export async function verifyDummyPassword(password: string, cost: PasswordHashCost): Promise<void> {
  const key = `${cost.memoryCost}:${cost.timeCost}:${cost.parallelism}`;
  let dummy = dummyHashes.get(key);
  if (!dummy) {
    dummy = hashPassword(crypto.randomUUID(), cost);
    dummyHashes.set(key, dummy);
  }
  await verifyPassword(await dummy, password);
}
