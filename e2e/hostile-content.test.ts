/**
 * Hostile text in every text field of a card: HTML, script, Markdown links, CSV formulas and
 * YAML that would end the front matter. The card file must keep each value inside its field,
 * the built site must show the values as text, and open data must neutralise formulas.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../pipeline/build/build.ts";
import { closePagefind } from "../pipeline/build/pagefind.ts";
import {
  type CardInput,
  cardPath,
  parseCard,
  parseCardText,
  serializeCard,
  writeCardFile,
} from "../pipeline/card/index.ts";
import { launchBrowser, openPage } from "./browser.ts";
import { type RunningServer, serveStatic } from "./static-server.ts";

const SCRIPT = `<script>alert("card")</script>`;
const IMAGE = "<img src=x onerror=alert(1)>";
const MARKDOWN = "[open](javascript:alert(2)) **bold** <b>markup</b>";
const FORMULA = '=HYPERLINK("http://attacker.example/","x")';
const YAML_BREAKERS = "---\ntitle: injected\n---\n!!js/function 'function () {}' &anchor *alias";

/** Returns a hostile value for one field, tagged with the field name to find it again. */
function hostile(field: string, lead = ""): string {
  return `${lead}${field} ${SCRIPT} ${IMAGE} ${MARKDOWN} ${YAML_BREAKERS}`;
}

/** Builds a card with a hostile value in every text field; `lead` starts each value. */
function hostileCard(id: string, lead = ""): CardInput {
  const organisation = (role: string) => ({
    name: hostile(`${role}-name`, lead),
    type: hostile(`${role}-type`, lead),
    address: hostile(`${role}-address`, lead),
    region: hostile(`${role}-region`, lead),
    country: "BE",
  });
  return {
    id,
    programme: "Culture (2007-2013)",
    subProgramme: hostile("sub-programme", lead),
    action: hostile("action", lead),
    actionType: hostile("action-type", lead),
    externalReference: hostile("external-reference", lead),
    nationalIdentifier: hostile("national-identifier", lead),
    title: hostile("title", lead),
    summary: hostile("summary", lead),
    topics: [hostile("topic", lead)],
    agency: "EACEA",
    startDate: "2024-01-01",
    endDate: "2026-12-31",
    coordinator: organisation("coordinator"),
    partners: [organisation("partner")],
    editorial: {
      results: [
        {
          id: "r1",
          title: hostile("result-title", lead),
          description: hostile("result-description", lead),
          type: hostile("result-type", lead),
          published: true,
          attachment: {
            sha256: "a".repeat(64),
            fileName: hostile("attachment-name", lead),
            mediaType: "application/pdf",
            size: 10,
          },
        },
      ],
      contacts: [
        {
          organisation: "coordinator",
          name: hostile("contact-name", lead),
          role: hostile("contact-role", lead),
          phone: hostile("contact-phone", lead),
          public: true,
        },
      ],
      review: { state: "open" },
    },
  };
}

const CARDS = [hostileCard("2013-0001/001-001"), hostileCard("2013-0002/001-001", FORMULA)];

/** Pages built from the hostile cards, and whether each shows the card titles. */
const PAGES: [string, boolean][] = [
  ["/projects/culture-2007-2013/2013-0001_001-001/", true],
  ["/projects/culture-2007-2013/2013-0002_001-001/", true],
  ["/programmes/culture-2007-2013/", true],
  ["/", false],
];

/** Fields whose value the card page shows. */
const SHOWN_FIELDS = [
  "title",
  "summary",
  "coordinator-name",
  "partner-name",
  "result-title",
  "result-description",
  "contact-name",
];

describe("card file", () => {
  it.each(CARDS)("keeps hostile values in their fields", (card) => {
    const parsed = parseCardText(serializeCard(card));
    expect(parsed).toEqual(parseCard(card));
    expect(parsed.title).toBe(card.title);
    expect(parsed.summary).toBe(card.summary);
    expect(parsed.editorial.contacts[0]?.name).toBe(card.editorial?.contacts?.[0]?.name);
  });
});

describe("built site and open data", () => {
  let root: string;
  let outDir: string;
  /** Served paths of the built HTML pages. */
  let pages: Set<string>;
  let site: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "hostile-content-"));
    const contentDir = join(root, "content");
    outDir = join(root, "dist");
    for (const card of CARDS)
      await writeCardFile(cardPath(contentDir, card.programme, card.id), card);
    try {
      await buildSite({
        contentDir,
        outDir,
        mediaDir: join(root, "media"),
        imageCacheDir: join(root, "logo-cache"),
        siteUrl: "http://127.0.0.1:4321",
      });
    } finally {
      await closePagefind();
    }
    const files = await readdir(outDir, { recursive: true });
    pages = new Set(
      files
        .filter((name) => name.endsWith("index.html"))
        .map((name) => `/${name.slice(0, -"index.html".length)}`),
    );
    site = await serveStatic(outDir);
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await rm(root, { recursive: true, force: true });
  });

  it.each(PAGES)("renders %s without hostile markup", async (path, showsTitles) => {
    expect(pages.has(path)).toBe(true);
    const { context, page } = await openPage(browser, site.origin);
    try {
      const dialogs: string[] = [];
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const response = await page.goto(`${site.origin}${path}`);
      expect(response?.status()).toBe(200);
      const found = await page.evaluate(() => {
        const scripts = [...document.querySelectorAll("script")];
        return {
          scriptsWithAlert: scripts.filter(
            (script) => script.type !== "application/ld+json" && script.text.includes("alert("),
          ).length,
          jsonLdParses: scripts
            .filter((script) => script.type === "application/ld+json")
            .every((script) => {
              try {
                JSON.parse(script.text);
                return true;
              } catch {
                return false;
              }
            }),
          eventHandlers: [...document.querySelectorAll("*")].filter((element) =>
            element.getAttributeNames().some((name) => name.toLowerCase().startsWith("on")),
          ).length,
          javascriptLinks: document.querySelectorAll('[href^="javascript:" i]').length,
          markupElements: [...document.querySelectorAll("b")].filter((element) =>
            element.textContent?.includes("markup"),
          ).length,
          // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what readers see.
          text: document.body.innerText,
        };
      });
      expect(dialogs).toEqual([]);
      expect(found.scriptsWithAlert).toBe(0);
      expect(found.jsonLdParses).toBe(true);
      expect(found.eventHandlers).toBe(0);
      expect(found.javascriptLinks).toBe(0);
      expect(found.markupElements).toBe(0);
      expect(found.text.includes(`title ${SCRIPT}`)).toBe(showsTitles);
    } finally {
      await context.close();
    }
  });

  it("shows every card field as text", async () => {
    const { context, page } = await openPage(browser, site.origin);
    try {
      await page.goto(`${site.origin}${PAGES[0]?.[0]}`);
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what readers see.
      const text = await page.evaluate(() => document.body.innerText);
      for (const field of SHOWN_FIELDS) expect(text, field).toContain(`${field} ${SCRIPT}`);
    } finally {
      await context.close();
    }
  });

  it("neutralises formulas in the CSV", async () => {
    const csv = await readFile(join(outDir, "open-data", "projects.csv"), "utf8");
    const rows = parse(csv, { bom: true, relaxColumnCount: true }) as string[][];
    const cells = rows.flat();
    const formulas = cells.filter((cell) => cell.includes("HYPERLINK"));
    expect(formulas.length).toBeGreaterThan(0);
    for (const cell of formulas) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("keeps hostile values as JSON strings", async () => {
    const text = await readFile(join(outDir, "open-data", "projects.json"), "utf8");
    const data = JSON.parse(text) as unknown;
    expect(JSON.stringify(data)).toContain(SCRIPT.replaceAll('"', '\\"'));
  });
});
