/**
 * Settings of the scheduled import, read from environment variables. Each wrong setting is one
 * line in the format of the other settings: the variable, the rule, the value found, what to do.
 */
import { resolve } from "node:path";

export interface ScheduledImportSettings {
  /** Export files to download, imported in this order. */
  urls: URL[];
  /** Time of day of the daily run, in UTC, as `HH:MM`. */
  dailyAt: string;
  /** Time limit of each download, headers and body together, in milliseconds. */
  timeoutMs: number;
  /** Maximum size of an export file, in bytes. */
  maxBytes: number;
  /** Folder that receives the downloads before they are validated and imported. */
  stagingDir: string;
  /** Folder of the run reports. */
  reportDir: string;
}

const DEFAULTS = {
  IMPORT_SCHEDULE: "05:00",
  // One Erasmus+ KA1 export of one call year is about 90 MB (an estimate), so these limits leave
  // a wide margin.
  IMPORT_TIMEOUT_SECONDS: "900",
  IMPORT_MAX_MEGABYTES: "1024",
  IMPORT_STAGING_DIR: "var/import-staging",
  IMPORT_REPORT_DIR: "reports",
};

const DAILY_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Returns a URL without its query string and fragment, which may contain access tokens. */
export function redactUrl(url: URL | string): string {
  const parsed = new URL(url);
  const hidden = parsed.search === "" ? "" : "?…";
  return `${parsed.origin}${parsed.pathname}${hidden}`;
}

function problem(name: string, rule: string, value: string | undefined, hint: string): string {
  const found = value === undefined ? "missing" : `got ${JSON.stringify(value)}`;
  return `${name}: ${rule} (${found}); ${hint}`;
}

function wholeNumber(text: string, min: number, max: number): number | undefined {
  if (!/^\d{1,9}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/**
 * Reads the scheduled import settings. Returns `settings` undefined when IMPORT_URLS is unset,
 * because the scheduled import is then off, and `problems` with one line per wrong variable.
 */
export function loadScheduledImportSettings(
  env: Record<string, string | undefined>,
  workingDir = process.cwd(),
): { settings?: ScheduledImportSettings; problems: string[] } {
  const value = (name: keyof typeof DEFAULTS) => env[name] || DEFAULTS[name];
  const problems: string[] = [];

  const urls: URL[] = [];
  for (const entry of (env.IMPORT_URLS ?? "").split(/[\s,]+/).filter(Boolean)) {
    const url = URL.canParse(entry) ? new URL(entry) : undefined;
    if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
      // Only the rejected entry is shown, without a query string that may contain a token.
      const shown = url === undefined ? entry.replace(/\?.*$/, "?…") : redactUrl(url);
      problems.push(
        problem(
          "IMPORT_URLS",
          "must list http(s) URLs separated by spaces or commas",
          shown,
          "correct that entry or remove it",
        ),
      );
      break;
    }
    urls.push(url);
  }

  const dailyAt = value("IMPORT_SCHEDULE");
  if (!DAILY_TIME.test(dailyAt)) {
    problems.push(
      problem(
        "IMPORT_SCHEDULE",
        "must be a time of day in UTC as HH:MM",
        env.IMPORT_SCHEDULE,
        "set it such as 05:00",
      ),
    );
  }
  const timeoutSeconds = wholeNumber(value("IMPORT_TIMEOUT_SECONDS"), 1, 86_400);
  if (timeoutSeconds === undefined) {
    problems.push(
      problem(
        "IMPORT_TIMEOUT_SECONDS",
        "must be a whole number of seconds from 1 to 86400",
        env.IMPORT_TIMEOUT_SECONDS,
        "set it such as 900, or unset it",
      ),
    );
  }
  const maxMegabytes = wholeNumber(value("IMPORT_MAX_MEGABYTES"), 1, 1_000_000);
  if (maxMegabytes === undefined) {
    problems.push(
      problem(
        "IMPORT_MAX_MEGABYTES",
        "must be a whole number of megabytes from 1 to 1000000",
        env.IMPORT_MAX_MEGABYTES,
        "set it such as 1024, or unset it",
      ),
    );
  }

  if (urls.length === 0 || problems.length > 0 || !timeoutSeconds || !maxMegabytes) {
    return { problems };
  }
  return {
    problems,
    settings: {
      urls,
      dailyAt,
      timeoutMs: timeoutSeconds * 1000,
      maxBytes: maxMegabytes * 1024 * 1024,
      stagingDir: resolve(workingDir, value("IMPORT_STAGING_DIR")),
      reportDir: resolve(workingDir, value("IMPORT_REPORT_DIR")),
    },
  };
}
