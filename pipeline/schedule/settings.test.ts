/** Settings of the scheduled import: defaults, each wrong value, and hidden query strings. */
import { describe, expect, it } from "vitest";
import { loadScheduledImportSettings, redactUrl } from "./settings.ts";

const URLS = "https://exports.example.eu/a.csv https://exports.example.eu/b.xlsx";

describe("loadScheduledImportSettings", () => {
  it("is off without IMPORT_URLS", () => {
    expect(loadScheduledImportSettings({})).toEqual({ problems: [] });
  });

  it("applies the defaults", () => {
    const { settings, problems } = loadScheduledImportSettings({ IMPORT_URLS: URLS }, "/srv/app");
    expect(problems).toEqual([]);
    expect(settings?.urls.map(String)).toEqual([
      "https://exports.example.eu/a.csv",
      "https://exports.example.eu/b.xlsx",
    ]);
    expect(settings?.dailyAt).toBe("05:00");
    expect(settings?.timeoutMs).toBe(900_000);
    expect(settings?.maxBytes).toBe(1024 * 1024 * 1024);
    expect(settings?.stagingDir).toBe("/srv/app/var/import-staging");
    expect(settings?.reportDir).toBe("/srv/app/reports");
  });

  it("splits URLs on commas and new lines", () => {
    const { settings } = loadScheduledImportSettings({
      IMPORT_URLS: "https://a.example.eu/1.csv,\nhttps://a.example.eu/2.csv",
    });
    expect(settings?.urls).toHaveLength(2);
  });

  const wrong: [string, Record<string, string>, string][] = [
    [
      "IMPORT_URLS",
      { IMPORT_URLS: "ftp://exports.example.eu/a.csv" },
      'IMPORT_URLS: must list http(s) URLs separated by spaces or commas (got "ftp://exports.example.eu/a.csv"); correct that entry or remove it',
    ],
    [
      "IMPORT_SCHEDULE",
      { IMPORT_URLS: URLS, IMPORT_SCHEDULE: "5am" },
      'IMPORT_SCHEDULE: must be a time of day in UTC as HH:MM (got "5am"); set it such as 05:00',
    ],
    [
      "IMPORT_TIMEOUT_SECONDS",
      { IMPORT_URLS: URLS, IMPORT_TIMEOUT_SECONDS: "0" },
      'IMPORT_TIMEOUT_SECONDS: must be a whole number of seconds from 1 to 86400 (got "0"); set it such as 900, or unset it',
    ],
    [
      "IMPORT_MAX_MEGABYTES",
      { IMPORT_URLS: URLS, IMPORT_MAX_MEGABYTES: "lots" },
      'IMPORT_MAX_MEGABYTES: must be a whole number of megabytes from 1 to 1000000 (got "lots"); set it such as 1024, or unset it',
    ],
  ];
  for (const [name, env, line] of wrong) {
    it(`names a wrong ${name}`, () => {
      const { settings, problems } = loadScheduledImportSettings(env);
      expect(problems).toEqual([line]);
      expect(settings).toBeUndefined();
    });
  }

  it("hides the query string of a wrong URL", () => {
    const { problems } = loadScheduledImportSettings({ IMPORT_URLS: "file:///a.csv?key=secret" });
    expect(problems[0]).not.toContain("secret");
  });
});

describe("redactUrl", () => {
  it("drops the query string and fragment", () => {
    expect(redactUrl("https://a.example.eu/x.csv?token=abc#top")).toBe(
      "https://a.example.eu/x.csv?…",
    );
    expect(redactUrl("https://a.example.eu/x.csv")).toBe("https://a.example.eu/x.csv");
  });
});
