/**
 * Random secrets and their stored form. A token (session cookie, e-mail link) is 20 random
 * bytes in lower-case base32 without padding; the database keeps only its SHA-256 in hex.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";

const TOKEN_BYTES = 20;

/** Returns a new random token (32 characters, 160 bits). */
export function generateToken(): string {
  const bytes = new Uint8Array(TOKEN_BYTES);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** Returns the SHA-256 of a token in lower-case hex, the only form stored in the database. */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}
