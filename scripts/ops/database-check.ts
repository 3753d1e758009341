/**
 * Start-up check of the editor database: opens and migrates it once, so that a server that is
 * down, a wrong password or a file that cannot be created stops the start with one line naming
 * the setting, instead of a stack trace from deep inside the platform.
 */
import { isPostgresUrl, openDatabase, redactLocation } from "../../editor-api/db/open.ts";

/** Variable that sets the database location: DATABASE_URL when set, else DATABASE_PATH. */
export type DatabaseSetting = "DATABASE_URL" | "DATABASE_PATH";

/** Returns the variable behind the location, as `loadConfig` picks it. */
export function databaseSetting(env: Record<string, string | undefined>): DatabaseSetting {
  return env.DATABASE_URL ? "DATABASE_URL" : "DATABASE_PATH";
}

/** Returns the first line of the error's message, with the password of `location` removed. */
function failureReason(error: unknown, location: string): string {
  const message = error instanceof Error ? error.message : String(error);
  let reason = message.split("\n")[0] || "unknown error";
  if (isPostgresUrl(location) && URL.canParse(location)) {
    const { password } = new URL(location);
    const secrets = new Set([password]);
    try {
      secrets.add(decodeURIComponent(password));
    } catch {
      // The password has a malformed escape, so only its raw form can appear in the message.
    }
    for (const secret of secrets) {
      if (secret) reason = reason.replaceAll(secret, "redacted");
    }
  }
  return reason;
}

/**
 * Formats the line for a database that cannot be opened: the setting, the location without its
 * password, the reason and what to do.
 */
export function databaseProblem(name: DatabaseSetting, location: string, error: unknown): string {
  const reason = failureReason(error, location);
  const hint = isPostgresUrl(location)
    ? `check that the PostgreSQL server runs and accepts this user and password, or correct ${name}`
    : `set ${name} to a file in a writable folder, such as var/editor.db`;
  return `${name}: the database ${redactLocation(location)} cannot be opened (${reason}); ${hint}`;
}

/**
 * Opens the database at `location`, migrates it and closes it again. Returns the problem line, or
 * undefined when the database is usable.
 */
export function checkDatabase(name: DatabaseSetting, location: string): string | undefined {
  let db: ReturnType<typeof openDatabase>;
  try {
    db = openDatabase(location);
  } catch (error) {
    return databaseProblem(name, location, error);
  }
  db.close();
  return undefined;
}
