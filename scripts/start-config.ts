/**
 * Settings of `npm start`, validated in one place before any work: the serving address, the
 * folders, the editor API's settings (docs/editor-api.md) and the folder of its database.
 * Every wrong setting is one line: the variable, the rule, the value found and what to do.
 */
import { statSync } from "node:fs";
import { isIP } from "node:net";
import { join, resolve } from "node:path";
import {
  ConfigError,
  type EditorConfig,
  loadConfig,
  prepareDatabaseFolder,
  prepareWritableFolder,
  settingProblem,
} from "../editor-api/config.ts";
import { rebuildTimingFromEnv } from "../editor-api/publish/queue.ts";
import { DEFAULT_HOST, DEFAULT_PORT } from "../pipeline/build/build.ts";
import {
  loadScheduledImportSettings,
  type ScheduledImportSettings,
} from "../pipeline/schedule/settings.ts";
import { type CiRebuildSettings, loadCiRebuildSettings } from "./ops/ci-rebuild.ts";

export interface StartSettings {
  host: string;
  port: number;
  /** Address the site is served at: SITE_URL, else PUBLIC_URL, else `http://HOST:PORT`. */
  siteUrl: string;
  contentDir: string;
  distDir: string;
  mediaDir: string;
  attachmentsDir: string;
  /** Environment for the editor API, with PUBLIC_URL and PORT filled in. */
  editorEnv: Record<string, string | undefined>;
  editor: EditorConfig;
  /** Maximum wait at shutdown for running requests and jobs, in milliseconds. */
  shutdownGraceMs: number;
  /** Daily import of IMPORT_URLS, undefined when IMPORT_URLS is unset. */
  scheduledImport?: ScheduledImportSettings;
  /** Webhook mode for sites built in CI, undefined when REBUILD_WEBHOOK_URL is unset. */
  ciRebuild?: CiRebuildSettings;
}

/** Default of SHUTDOWN_GRACE_SECONDS, below the 30 s termination grace period of Kubernetes. */
const DEFAULT_SHUTDOWN_GRACE_SECONDS = 25;

/** Host name as RFC 1123 allows it: dot-separated labels of up to 63 characters, 253 in all. */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Returns an environment value, with an empty string taken as unset. */
function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === "http:" || protocol === "https:";
}

/**
 * Returns whether a URL keeps `host` as written. A name that ends in a number is read as an IPv4
 * address by URL parsers (WHATWG URL), so `999.1.1.1` makes no valid URL and `1.2.3` becomes
 * `1.2.0.3`.
 */
function urlKeepsHost(host: string): boolean {
  const url = `http://${host}/`;
  return URL.canParse(url) && new URL(url).hostname === host.toLowerCase();
}

/** Returns `http://host:port`, with brackets around an IPv6 host. */
export function servingUrl(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/** Returns a problem line when `path` exists but is not a readable folder. */
function folderProblem(name: string, path: string, raw: string | undefined): string | undefined {
  try {
    if (!statSync(path).isDirectory()) {
      return settingProblem(name, `${path} is not a folder`, raw, `set ${name} to a folder`);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") {
      return settingProblem(
        name,
        `${path} cannot be read (${code})`,
        raw,
        `set ${name} to a readable folder`,
      );
    }
  }
  return undefined;
}

/**
 * Validates the settings of `npm start` and returns them, or throws a `ConfigError` with one line
 * per wrong variable. Creates the database folder when missing (see `prepareDatabaseFolder`).
 */
export function loadStartSettings(
  env: Record<string, string | undefined>,
  repositoryRoot: string,
): StartSettings {
  const problems = new Map<string, string>();
  // Keys each `NAME: ...` line by its variable, so that a later line for it replaces the earlier.
  const addProblemLines = (lines: string[]) => {
    for (const line of lines) problems.set(line.slice(0, line.indexOf(":")), line);
  };

  const host = envValue(env, "HOST") ?? DEFAULT_HOST;
  if (isIP(host) === 0 && !(HOST_NAME.test(host) && urlKeepsHost(host))) {
    problems.set(
      "HOST",
      settingProblem(
        "HOST",
        "must be an IP address (IPv4 parts from 0 to 255) or a host name",
        env.HOST,
        "set HOST to an address of this machine, such as 127.0.0.1",
      ),
    );
  }
  const portText = envValue(env, "PORT") ?? String(DEFAULT_PORT);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 1 && port <= 65_535)) {
    problems.set(
      "PORT",
      settingProblem(
        "PORT",
        "must be a whole number from 1 to 65535",
        env.PORT,
        "set PORT to a free port, such as 4321",
      ),
    );
  }
  for (const name of ["SITE_URL", "PUBLIC_URL"]) {
    const value = envValue(env, name);
    if (value !== undefined && !isHttpUrl(value)) {
      problems.set(
        name,
        settingProblem(
          name,
          "must be an absolute http(s) URL",
          value,
          `set ${name} to the address users open, such as https://results.example.eu`,
        ),
      );
    }
  }
  // Placeholder address while HOST or PORT is wrong, so that only the variables at fault are named.
  const serving =
    problems.has("HOST") || problems.has("PORT") ? "http://127.0.0.1:4321" : servingUrl(host, port);
  // A wrong URL is not borrowed by the other variable, so that only the variable at fault is named.
  const site = problems.has("SITE_URL") ? undefined : envValue(env, "SITE_URL");
  const editorUrl = problems.has("PUBLIC_URL") ? undefined : envValue(env, "PUBLIC_URL");
  const siteUrl = site ?? editorUrl ?? serving;
  const publicUrl = envValue(env, "PUBLIC_URL") ?? site ?? serving;

  const folder = (name: string, fallback: string) => {
    const raw = envValue(env, name);
    const path = resolve(raw ?? fallback);
    const problem = folderProblem(name, path, raw);
    if (problem) problems.set(name, problem);
    return path;
  };
  const contentDir = folder("CONTENT_DIR", join(repositoryRoot, "content"));
  const distDir = folder("DIST_DIR", join(repositoryRoot, "dist"));
  const mediaDir = folder("MEDIA_DIR", join(repositoryRoot, "var", "media"));
  const attachmentsDir = envValue(env, "ATTACHMENTS_DIR")
    ? folder("ATTACHMENTS_DIR", mediaDir)
    : mediaDir;

  const graceText =
    envValue(env, "SHUTDOWN_GRACE_SECONDS") ?? String(DEFAULT_SHUTDOWN_GRACE_SECONDS);
  const shutdownGraceMs = /^\d{1,4}$/.test(graceText) ? Number(graceText) * 1000 : Number.NaN;
  if (!(shutdownGraceMs >= 1000 && shutdownGraceMs <= 3_600_000)) {
    problems.set(
      "SHUTDOWN_GRACE_SECONDS",
      settingProblem(
        "SHUTDOWN_GRACE_SECONDS",
        "must be a whole number of seconds from 1 to 3600",
        env.SHUTDOWN_GRACE_SECONDS,
        "set it below the time your service manager waits before killing the process, such as 25",
      ),
    );
  }

  const scheduled = loadScheduledImportSettings(env);
  addProblemLines(scheduled.problems);
  try {
    // createPlatform reads this again. It is checked here so that a wrong value stops the start
    // early.
    rebuildTimingFromEnv(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    addProblemLines(error.problems);
  }
  const ciRebuild = loadCiRebuildSettings(env);
  addProblemLines(ciRebuild.problems);

  const editorEnv: Record<string, string | undefined> = { ...env, PUBLIC_URL: publicUrl };
  editorEnv.PORT = problems.has("PORT") ? undefined : String(port);
  let editor: EditorConfig | undefined;
  try {
    editor = loadConfig(editorEnv);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.problems) {
      const name = line.slice(0, line.indexOf(":"));
      if (!problems.has(name)) problems.set(name, line);
    }
  }
  if (editor && !problems.has("DATABASE_PATH")) {
    const problem = prepareDatabaseFolder(editor.databasePath);
    if (problem) problems.set("DATABASE_PATH", problem);
  }
  // Without SMTP_URL every mail is written into OUTBOX_DIR, so it must be a writable folder.
  if (editor && !editor.smtpUrl) {
    const problem = prepareWritableFolder(
      "OUTBOX_DIR",
      resolve(editor.outboxDir),
      envValue(env, "OUTBOX_DIR"),
    );
    if (problem) problems.set("OUTBOX_DIR", problem);
  }

  if (problems.size > 0 || !editor) throw new ConfigError([...problems.values()]);
  return {
    host,
    port,
    siteUrl,
    contentDir,
    distDir,
    mediaDir,
    attachmentsDir,
    editorEnv,
    editor,
    shutdownGraceMs,
    scheduledImport: scheduled.settings,
    ciRebuild: ciRebuild.settings,
  };
}
