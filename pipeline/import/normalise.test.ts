import { describe, expect, it } from "vitest";
import {
  cleanMultiline,
  cleanText,
  parseCountry,
  parseCountryList,
  parseDate,
  parseFlag,
  parseGrant,
  parseList,
  parseSourceUrl,
  parseStatus,
  parseWebsites,
  parseYear,
  redactEmail,
} from "./normalise.ts";

describe("parseGrant", () => {
  it.each([
    ["1657050.0 EUR", 1657050],
    ["240000.0 EUR", 240000],
    ["200000.0", 200000],
    ["112527.93", 112527.93],
    ["200,000.00", 200000],
    ["1.234,56", 1234.56],
    ["1,234.56", 1234.56],
    ["1.234.567", 1234567],
    ["1234,5", 1234.5],
    ["199440.7", 199440.7],
    ["41921", 41921],
    ["€ 50 000", 50000],
    ["\u00a02605.00\u00a0", 2605],
  ])("%j is %d euros", (raw, expected) => {
    expect(parseGrant(raw)).toEqual({ ok: true, value: expected });
  });

  it.each(["EUR", "n/a", "-5", "12a", "1,2,3.4.5"])("rejects %j", (raw) => {
    const result = parseGrant(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issue.code).toBe("INVALID_GRANT");
  });
});

describe("parseDate", () => {
  it.each([
    ["01/05/2006", "2006-05-01"],
    ["30/04/2009", "2009-04-30"],
    ["1/9/2010", "2010-09-01"],
    ["2015-01-01", "2015-01-01"],
    ["2018-12-31 00:00:00", "2018-12-31"],
    ["2014-10-09T00:00:00Z", "2014-10-09"],
    ["41921", "2014-10-09"],
    ["42643", "2016-09-30"],
    ["41921.5", "2014-10-09"],
    ["31.12.2016", "2016-12-31"],
  ])("%j is %s", (raw, expected) => {
    expect(parseDate(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["31/02/2010", "INVALID_DATE"],
    ["2010-13-01", "INVALID_DATE"],
    ["10/9/14", "INVALID_DATE"],
    ["soon", "INVALID_DATE"],
    ["01/01/1900", "INVALID_DATE"],
  ])("rejects %j", (raw, code) => {
    const result = parseDate(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issue.code).toBe(code);
  });

  it("explains two-digit years", () => {
    const result = parseDate("10/9/14");
    expect(result).toEqual({
      ok: false,
      issue: {
        code: "INVALID_DATE",
        reason: "two-digit years are ambiguous: write the date as dd/mm/yyyy",
      },
    });
  });
});

describe("parseCountryList", () => {
  it.each([
    ["BE,DE,PT,HU,NL", ["BE", "DE", "PT", "HU", "NL"], []],
    ["BE, NL, FR, UK", ["BE", "NL", "FR", "UK"], []],
    ["AT,DE,DK ,DK", ["AT", "DE", "DK"], []],
    ["RO,EL,SK,BG", ["RO", "EL", "SK", "BG"], []],
    ["FR,XM,BP", ["FR", "XM", "BP"], []],
    [
      "AT,DE,SI,HU,CZ,SK,DK,PT,Box,FR,EE",
      ["AT", "DE", "SI", "HU", "CZ", "SK", "DK", "PT", "FR", "EE"],
      ["Box"],
    ],
    ["NO,No", ["NO"], ["No"]],
    ["GB  ,GR", ["UK", "EL"], []],
    ["", [], []],
  ])("%j", (raw, codes, junk) => {
    const result = parseCountryList(raw);
    expect(result.value).toEqual(codes);
    expect(result.issues.map((issue) => issue.value)).toEqual(junk);
    for (const issue of result.issues) expect(issue.code).toBe("INVALID_COUNTRY");
  });

  it("keeps a single code as the EU writes it", () => {
    expect(parseCountry(" UK ")).toEqual({ ok: true, value: "UK" });
    expect(parseCountry("EL")).toEqual({ ok: true, value: "EL" });
  });
});

describe("parseWebsites", () => {
  it.each([
    ["www.parts.be", ["http://www.parts.be"]],
    ["http://www.nadapopovic.edu.rs/", ["http://www.nadapopovic.edu.rs/"]],
    [
      "https://www.facebook.com/groups/578506935585056/",
      ["https://www.facebook.com/groups/578506935585056/"],
    ],
    ["www.theatre.cz; www.pq.cz", ["http://www.theatre.cz", "http://www.pq.cz"]],
    [
      "http://www.calafell.org / http://www.ciutadellaiberica.com",
      ["http://www.calafell.org", "http://www.ciutadellaiberica.com"],
    ],
    ["http:// www.unifi.it/dpprar", ["http://www.unifi.it/dpprar"]],
    [
      "http:// www.m2fcreations.fr, http:// http://dardex.free.fr",
      ["http://www.m2fcreations.fr", "http://dardex.free.fr"],
    ],
    ["htttp://www.novasit.cz", ["http://www.novasit.cz"]],
    ["http:www.ciejasmina.net", ["http://www.ciejasmina.net"]],
    ["http:/www.amms.com", ["http://www.amms.com"]],
    [
      "www.spielmotor.de    www.spielart.org",
      ["http://www.spielmotor.de", "http://www.spielart.org"],
    ],
    [
      "www.circuseffectsnetwork.org and www.circusarts.nu",
      ["http://www.circuseffectsnetwork.org", "http://www.circusarts.nu"],
    ],
    [
      "www.cappellaamsterdam.nl + www.tenso-vocal.eu",
      ["http://www.cappellaamsterdam.nl", "http://www.tenso-vocal.eu"],
    ],
    ["\u00a0www.ua.es\u00a0", ["http://www.ua.es"]],
    ["HTTP://WWW.EXAMPLE.EU", ["http://WWW.EXAMPLE.EU"]],
    ["www.a.eu; www.a.eu", ["http://www.a.eu"]],
  ])("%j", (raw, urls) => {
    const result = parseWebsites(raw);
    expect(result.value).toEqual(urls);
    expect(result.issues).toEqual([]);
  });

  it("drops an e-mail address with a redacted warning", () => {
    expect(parseWebsites("info@moussem.be")).toEqual({
      value: [],
      issues: [
        {
          code: "EMAIL_IN_WEBSITE",
          reason: "an e-mail address is not a website and is not published",
          value: "***@moussem.be",
        },
      ],
    });
  });

  it("keeps the website next to an e-mail address", () => {
    const result = parseWebsites("www.okno.be / info@okno.be");
    expect(result.value).toEqual(["http://www.okno.be"]);
    expect(result.issues.map((issue) => issue.code)).toEqual(["EMAIL_IN_WEBSITE"]);
  });

  it("reports tokens that are not addresses", () => {
    const result = parseWebsites("www,bennohaus,info");
    expect(result.value).toEqual([]);
    expect(result.issues.map((issue) => issue.value)).toEqual(["www", "bennohaus", "info"]);
    expect(result.issues.every((issue) => issue.code === "INVALID_WEBSITE")).toBe(true);
  });

  it("redacts only the local part", () => {
    expect(redactEmail("michal.borkiewicz@gmail.com")).toBe("***@gmail.com");
  });
});

describe("text cleaning", () => {
  it("trims spaces, NBSP and BOM", () => {
    expect(cleanText("\ufeff\u00a0 A SPACE FOR LIVE ART  ")).toBe("A SPACE FOR LIVE ART");
    expect(cleanText(" \u00a0 ")).toBeUndefined();
    expect(cleanText(undefined)).toBeUndefined();
  });

  it("keeps inner line breaks and bullets", () => {
    expect(cleanMultiline("Rue Royale Ste Marie 22b\r\n1030 Schaerbeek")).toBe(
      "Rue Royale Ste Marie 22b\n1030 Schaerbeek",
    );
    expect(cleanMultiline("  Goals:\n\n• one\r• two  \n")).toBe("Goals:\n\n• one\n• two");
  });

  it("splits topics on semicolons", () => {
    expect(
      parseList(
        "Economic and financial affairs (incl. funding issues); International cooperation, international relations, development cooperation",
      ),
    ).toEqual([
      "Economic and financial affairs (incl. funding issues)",
      "International cooperation, international relations, development cooperation",
    ]);
    expect(parseList(" a ;; a; b ")).toEqual(["a", "b"]);
  });
});

describe("flags, statuses, years and links", () => {
  it.each([
    ["Yes", true],
    ["No", false],
    ["yes ", true],
    ["TRUE", true],
    ["0", false],
  ])("flag %j is %s", (raw, expected) => {
    expect(parseFlag(raw)).toEqual({ ok: true, value: expected });
  });

  it("rejects an unknown flag", () => {
    expect(parseFlag("maybe").ok).toBe(false);
  });

  it.each([
    ["ongoing", "ongoing"],
    ["Ongoing", "ongoing"],
    ["finalized", "completed"],
    ["Completed", "completed"],
    ["closed", "completed"],
  ])("status %j is %s", (raw, expected) => {
    expect(parseStatus(raw)).toEqual({ ok: true, value: expected });
  });

  it("rejects an unknown status", () => {
    const result = parseStatus("pending");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issue.code).toBe("INVALID_STATUS");
  });

  it.each([
    ["2014", 2014],
    ["2014.0", 2014],
  ])("year %j is %d", (raw, expected) => {
    expect(parseYear(raw)).toEqual({ ok: true, value: expected });
  });

  it.each(["14", "year", "1800"])("rejects year %j", (raw) => {
    expect(parseYear(raw).ok).toBe(false);
  });

  it("encodes spaces in a project-card link", () => {
    expect(
      parseSourceUrl(
        "https://ec.europa.eu/programmes/erasmus-plus/projects/eplus-project-details/#project/168191-EM-1-2009-1-PL-ERA MUNDUS-ICI",
      ),
    ).toEqual({
      ok: true,
      value:
        "https://ec.europa.eu/programmes/erasmus-plus/projects/eplus-project-details/#project/168191-EM-1-2009-1-PL-ERA%20MUNDUS-ICI",
    });
    expect(parseSourceUrl("not a link").ok).toBe(false);
  });
});
