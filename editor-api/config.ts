/**
 * Settings of the editor API, read from environment variables and validated with zod.
 * `loadConfig` rejects every wrong setting at once, one line per variable: the variable, the
 * rule, the value found and what to do.
 */
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";

/** Argon2id cost parameters (memory in KiB). */
export type PasswordHashCost = { memoryCost: number; timeCost: number; parallelism: number };

/** Fixed-window limit for one kind of request from one client IP. */
export type RateLimitRule = { limit: number; windowMs: number };

export type RateLimitName = "login" | "register" | "passwordReset" | "verificationResend";

export type OidcConfig = {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** Rejects local password login for every account linked to the identity provider. */
  disablePasswordLogin: boolean;
};

export type EditorConfig = {
  publicUrl: URL;
  /** Location for `openDatabase`: DATABASE_URL (`postgres://` or `sqlite:`), else DATABASE_PATH. */
  databasePath: string;
  smtpUrl: string | undefined;
  outboxDir: string;
  oidc: OidcConfig | undefined;
  cookieSecure: boolean;
  /** Reads the client IP from `X-Forwarded-For` (set only behind a reverse proxy). */
  trustProxy: boolean;
  port: number;
  passwordHashCost: PasswordHashCost;
  rateLimits: Record<RateLimitName, RateLimitRule>;
};

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
export const STANDARD_HASH_COST: PasswordHashCost = {
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

/** Cheap cost for tests only: a hash takes well under a millisecond. */
export const TEST_HASH_COST: PasswordHashCost = { memoryCost: 64, timeCost: 1, parallelism: 1 };

const MINUTE = 60_000;

export const DEFAULT_RATE_LIMITS: Record<RateLimitName, RateLimitRule> = {
  login: { limit: 30, windowMs: 10 * MINUTE },
  register: { limit: 10, windowMs: 60 * MINUTE },
  passwordReset: { limit: 5, windowMs: 15 * MINUTE },
  verificationResend: { limit: 5, windowMs: 15 * MINUTE },
};

const booleanText = z
  .enum(["true", "false", "1", "0"], { message: "must be true or false" })
  .transform((value) => value === "true" || value === "1");

const envSchema = z
  .object({
    PUBLIC_URL: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }),
    DATABASE_PATH: z.string().min(1).default("var/editor.db"),
    DATABASE_URL: z
      .string()
      .regex(/^(postgres(ql)?:\/\/.+|sqlite:.+)$/, {
        message: "must be a postgres://, postgresql:// or sqlite: URL",
      })
      .optional(),
    SMTP_URL: z
      .url({ protocol: /^smtps?$/, message: "must be an smtp:// or smtps:// URL" })
      .optional(),
    OUTBOX_DIR: z.string().min(1).default("var/outbox"),
    OIDC_ISSUER: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_DISABLE_PASSWORD_LOGIN: booleanText.default(false),
    COOKIE_SECURE: booleanText.optional(),
    TRUST_PROXY: booleanText.default(false),
    NODE_ENV: z.string().optional(),
    PORT: z
      .string()
      .regex(/^\d{1,5}$/, { message: "must be a whole number from 0 to 65535" })
      .transform(Number)
      .pipe(z.number().max(65_535, { message: "must be a whole number from 0 to 65535" }))
      .default(4322),
    PASSWORD_HASH_COST: z.enum(["standard", "test"]).default("standard"),
  })
  .superRefine((env, context) => {
    const oidcKeys = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const;
    const present = oidcKeys.filter((key) => env[key] !== undefined);
    if (present.length > 0 && present.length < oidcKeys.length) {
      for (const key of oidcKeys.filter((name) => env[name] === undefined)) {
        context.addIssue({
          code: "custom",
          path: [key],
          message: `is required because ${present.join(", ")} is set (single sign-on needs all three)`,
        });
      }
    }
  });

/** What to do about a wrong value, by variable. */
const HINTS: Record<string, string> = {
  PUBLIC_URL: "set it to the address users open, such as https://results.example.eu",
  DATABASE_PATH: "set it to a file in a writable folder, such as var/editor.db",
  DATABASE_URL:
    "set it such as postgres://editor@db.example.eu/results, or unset it to use DATABASE_PATH",
  SMTP_URL: "set it such as smtp://mail.example.eu:587, or unset it to write mails to OUTBOX_DIR",
  OUTBOX_DIR: "set it to a writable folder, or unset it for var/outbox",
  OIDC_ISSUER: "set it to the identity provider's issuer URL",
  OIDC_CLIENT_ID: "set all three OIDC_ settings, or none",
  OIDC_CLIENT_SECRET: "set all three OIDC_ settings, or none",
  PORT: "set it to a free port, such as 4321",
  PASSWORD_HASH_COST: "set it to standard, or unset it",
};

/**
 * Formats one wrong setting: `NAME: rule (got "value"); what to do`. The value of a variable
 * whose name contains SECRET, and of DATABASE_URL (which may contain a password), is never shown.
 */
export function settingProblem(
  name: string,
  rule: string,
  value: string | undefined,
  hint = HINTS[name] ?? "correct it or unset it",
): string {
  let found = "missing";
  if (value !== undefined)
    found =
      name.includes("SECRET") || name === "DATABASE_URL"
        ? "value hidden"
        : `got ${JSON.stringify(value)}`;
  return `${name}: ${rule} (${found}); ${hint}`;
}

/** One invalid or missing environment variable per line. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid editor API settings:\n${problems.map((line) => `  ${line}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

function isLocalHttp(url: URL): boolean {
  return url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

/** Validates the environment and returns the settings, or throws a `ConfigError`. */
export function loadConfig(env: Record<string, string | undefined> = process.env): EditorConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? "environment");
      // One line per variable: the first rule it breaks.
      if (!problems.has(name)) problems.set(name, settingProblem(name, issue.message, env[name]));
    }
    throw new ConfigError([...problems.values()]);
  }
  const settings = parsed.data;
  const publicUrl = new URL(settings.PUBLIC_URL);
  const localDevelopment = settings.NODE_ENV === "development" || isLocalHttp(publicUrl);
  const oidc =
    settings.OIDC_ISSUER && settings.OIDC_CLIENT_ID && settings.OIDC_CLIENT_SECRET
      ? {
          issuer: new URL(settings.OIDC_ISSUER),
          clientId: settings.OIDC_CLIENT_ID,
          clientSecret: settings.OIDC_CLIENT_SECRET,
          disablePasswordLogin: settings.OIDC_DISABLE_PASSWORD_LOGIN,
        }
      : undefined;
  return {
    publicUrl,
    databasePath: settings.DATABASE_URL ?? settings.DATABASE_PATH,
    smtpUrl: settings.SMTP_URL,
    outboxDir: settings.OUTBOX_DIR,
    oidc,
    cookieSecure: settings.COOKIE_SECURE ?? !localDevelopment,
    trustProxy: settings.TRUST_PROXY,
    port: settings.PORT,
    passwordHashCost: settings.PASSWORD_HASH_COST === "test" ? TEST_HASH_COST : STANDARD_HASH_COST,
    rateLimits: DEFAULT_RATE_LIMITS,
  };
}

/**
 * Checks that the folder of the SQLite file at `location` (a path or a `sqlite:` URL) exists or
 * can be created, and creates it (see `prepareWritableFolder`). PostgreSQL URLs pass unchecked.
 * Returns a problem line, or undefined when the folder is ready.
 */
export function prepareDatabaseFolder(location: string): string | undefined {
  // A PostgreSQL database has no folder here, and `sqlite:` URLs name a file after the prefix.
  if (/^postgres(ql)?:\/\//i.test(location)) return undefined;
  const databasePath = location.startsWith("sqlite:") ? location.slice("sqlite:".length) : location;
  if (databasePath === ":memory:") return undefined;
  return prepareWritableFolder("DATABASE_PATH", dirname(resolve(databasePath)), databasePath);
}

/**
 * Checks that `folder`, set by the variable `name` to `value`, is a writable folder or can be
 * created, and creates it one level at a time. Returns a problem line, or undefined when the
 * folder is ready. A recursive `mkdir` is avoided because on a path such as `/proc/x` it never
 * returns (Node 24).
 */
export function prepareWritableFolder(
  name: string,
  folder: string,
  value: string | undefined,
): string | undefined {
  const missing: string[] = [];
  let existing = folder;
  for (;;) {
    try {
      if (!statSync(existing).isDirectory()) {
        return settingProblem(name, `${existing} is not a folder`, value);
      }
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a parent is a file, which the next turn reports as "not a folder".
      const absent = code === "ENOENT" || code === "ENOTDIR";
      if (!absent || dirname(existing) === existing) {
        return settingProblem(name, `folder ${existing} cannot be read (${code})`, value);
      }
      missing.unshift(existing);
      existing = dirname(existing);
    }
  }
  if (missing.length === 0) {
    try {
      accessSync(folder, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return settingProblem(name, `folder ${folder} is not writable (${code})`, value);
    }
  }
  for (const path of missing) {
    try {
      mkdirSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") continue;
      return settingProblem(name, `folder ${path} cannot be created (${code})`, value);
    }
  }
  return undefined;
}
