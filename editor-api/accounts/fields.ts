/** Zod schemas of account fields, shared by the routes and the OpenAPI description. */
import { z } from "zod";

export const usernameSchema = z
  .string()
  .min(1, "Username is empty; use 1 to 32 letters or digits.")
  .max(32, "Username is longer than 32 characters; use 1 to 32 letters or digits.")
  .regex(/^[A-Za-z0-9]+$/, "Username may contain only letters A-Z and digits 0-9.");

export const personNameSchema = z.string().trim().min(1).max(100);

export const emailSchema = z.email("Invalid e-mail address.").max(254);

/** Only length here: the password policy (common passwords, username) is checked apart. */
export const passwordSchema = z
  .string()
  .min(12, "Password is shorter than 12 characters.")
  .max(256, "Password is longer than 256 characters.");

/** A token from an e-mail link (lower-case base32, 32 characters). */
export const linkTokenSchema = z.string().regex(/^[a-z2-7]{32}$/, "Invalid link token.");

/** "EACEA", or a National Agency code: a two-letter country code and two digits, e.g. "DE02". */
export const agencySchema = z
  .string()
  .regex(/^(EACEA|[A-Z]{2}[0-9]{2})$/, "Agency must be EACEA or a National Agency code like DE02.");
