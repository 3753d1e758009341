import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { SaxesParser } from "saxes";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CardInput, cardPath, writeCardFile } from "../card/index.ts";
import { BuildFailedError, buildSite } from "./build.ts";
import { closePagefind } from "./pagefind.ts";
import type { BuildReport } from "./report.ts";
import { buildsDirOf } from "./swap.ts";

const GOOD_LOGO = "a".repeat(64);
const BROKEN_LOGO = "b".repeat(64);
const ATTACHMENT = "c".repeat(64);
const HIDDEN_ATTACHMENT = "d".repeat(64);

let root: string;
let contentDir: string;
let mediaDir: string;
let outDir: string;
let report: BuildReport;

const minimal: CardInput = {
  id: "101000-CREA-1-2021",
  programme: "Creative Europe",
  title: "Only the required fields",
  agency: "EACEA",
};

const rich: CardInput = {
  id: "2020-1-DE01-KA201-005672",
  programme: "Erasmus+",
  subProgramme: "KA2",
  action: "Cooperation for innovation",
  actionType: "Strategic Partnerships for school education",
  callYear: 2020,
  title: 'Schule <script>alert("title")</script> & more',
  summary:
    "Erste Zeile <b>fett</b>\nzweite Zeile\n\n• Punkt eins\n• Punkt zwei\n\n<script>alert('summary')</script>",
  language: "de",
  status: "completed",
  startDate: "2020-09-01",
  endDate: "2022-08-31",
  euGrant: 250000,
  topics: ["Digital skills", "Inclusion"],
  countries: ["DE", "EL"],
  coordinator: {
    name: "Gymnasium Am Park",
    type: "School",
    address: "Parkstraße 1, 10115 Berlin",
    region: "Berlin",
    country: "DE",
    websites: ["https://gymnasium.example.org/"],
  },
  partners: [{ name: "Lykeio Athinon", type: "School", country: "EL", websites: [] }],
  goodPractice: true,
  successStory: true,
  resultsAvailable: true,
  website: "https://project.example.org/",
  sourceUrl: "https://source.example.org/projects/2020-1-DE01-KA201-005672",
  agency: "DE01",
  editorial: {
    logo: { sha256: GOOD_LOGO, width: 400, height: 200, mediaType: "image/png" },
    results: [
      {
        id: "r1",
        title: "Teaching guide",
        description: "A guide for teachers.",
        type: "Guide",
        language: "de",
        published: true,
        attachment: {
          sha256: ATTACHMENT,
          fileName: "Leitfaden.pdf",
          mediaType: "application/pdf",
          size: 2_400_000,
        },
      },
      {
        id: "r2",
        title: "Unpublished draft result",
        published: false,
        attachment: {
          sha256: HIDDEN_ATTACHMENT,
          fileName: "draft.pdf",
          mediaType: "application/pdf",
          size: 10,
        },
      },
    ],
    contacts: [
      {
        organisation: "coordinator",
        name: "Public Person",
        email: "public@example.org",
        public: true,
      },
      {
        organisation: "partner-1",
        name: "Private Person",
        email: "private@example.org",
        public: false,
      },
    ],
  },
};

const brokenLogo: CardInput = {
  id: "2019-1-FR01-KA101-000001",
  programme: "Erasmus+",
  title: "Card with a broken logo",
  callYear: 2019,
  agency: "FR01",
  editorial: { logo: { sha256: BROKEN_LOGO, width: 10, height: 10, mediaType: "image/png" } },
};

/** A card whose labels come only from an officer, not from the exports. */
const officerLabelled: CardInput = {
  id: "2018-1-IT02-KA204-000002",
  programme: "Erasmus+",
  title: "Labelled by an officer",
  callYear: 2018,
  agency: "IT02",
  goodPractice: false,
  successStory: false,
  editorial: { labels: { goodPractice: false, successStory: true } },
};

/** Creative Europe cards beyond the first listing page (50 a page). */
const extraCards: CardInput[] = Array.from({ length: 51 }, (_, index) => ({
  id: `6000${String(index).padStart(2, "0")}-CREA-1-2018`,
  programme: "Creative Europe",
  title: `Filler project ${index}`,
  callYear: 2018,
  agency: "EACEA",
}));

async function page(path: string): Promise<string> {
  return readFile(join(outDir, ...path.split("/").filter(Boolean), "index.html"), "utf8");
}

function parseXml(text: string): string[] {
  const elements: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on("opentag", (tag) => elements.push(tag.local));
  parser.write(text).close();
  return elements;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "site-build-test-"));
  contentDir = join(root, "content");
  mediaDir = join(root, "media");
  outDir = join(root, "dist");
  for (const card of [minimal, rich, brokenLogo, officerLabelled, ...extraCards]) {
    await writeCardFile(cardPath(contentDir, card.programme, card.id), card);
  }
  const invalid = join(contentDir, "projects", "erasmus-plus", "broken.md");
  await writeFile(invalid, "---\nid: broken\nprogramme: Erasmus+\n---\nNo title and no agency.\n");
  // A temporary file left by a killed import is no card file.
  await writeFile(
    `${cardPath(contentDir, minimal.programme, minimal.id)}.0a1b2c3d4e5f.tmp`,
    "---\n",
  );

  await mkdir(mediaDir, { recursive: true });
  const png = await sharp({
    create: { width: 400, height: 200, channels: 4, background: { r: 0, g: 68, b: 148, alpha: 1 } },
  })
    .png()
    .toBuffer();
  // The good logo sits in the upload store's nested layout, the broken one flat.
  await mkdir(join(mediaDir, GOOD_LOGO.slice(0, 2)));
  await writeFile(join(mediaDir, GOOD_LOGO.slice(0, 2), GOOD_LOGO), png);
  await writeFile(join(mediaDir, BROKEN_LOGO), Buffer.from("this is not an image at all"));

  report = await buildSite({
    contentDir,
    outDir,
    mediaDir,
    imageCacheDir: join(root, "image-cache"),
    siteUrl: "https://results.example.eu",
  });
}, 180_000);

afterAll(async () => {
  await closePagefind();
  await rm(root, { recursive: true, force: true });
});

describe("buildSite", () => {
  it("reports the invalid card file and builds the others", () => {
    const issue = report.issues.find((entry) => entry.code === "CARD_INVALID");
    expect(issue?.file).toBe(join("projects", "erasmus-plus", "broken.md"));
    expect(issue?.message).toContain("broken.md");
    expect(report.cardFiles).toBe(56);
    expect(report.cards).toBe(55);
  });

  it("renders a card with only required fields", async () => {
    const html = await page("/projects/creative-europe/101000-crea-1-2021/");
    expect(html).toContain("Only the required fields");
    expect(html).toContain("European Education and Culture Executive Agency");
    expect(html).toContain("data-pagefind-body");
  });

  it("shows markup in title and summary as text", async () => {
    const html = await page("/projects/erasmus-plus/2020-1-de01-ka201-005672/");
    const main = html.slice(html.indexOf("<main"));
    // Inside a quoted attribute value `<` is plain text, so only markup outside values counts.
    expect(main.replace(/"[^"]*"/g, '""')).not.toContain("<script");
    expect(main).toContain("&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;");
    expect(main).toContain("&lt;b&gt;fett&lt;/b&gt;");
    expect(main).toMatch(/Erste Zeile &lt;b&gt;fett&lt;\/b&gt;\s*<br>\s*zweite Zeile/);
    expect(main).toMatch(/<li class="ecl-unordered-list__item">\s*Punkt eins\s*<\/li>/);
    const jsonLd = html.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/);
    expect(jsonLd?.[1]).not.toContain("<");
    const data = JSON.parse(jsonLd?.[1] ?? "{}");
    expect(data.name).toBe(rich.title);
    expect(data.funder.name).toBe("European Union");
    expect(data.member).toHaveLength(2);
  });

  it("renders every field of a full card", async () => {
    const html = await page("/projects/erasmus-plus/2020-1-de01-ka201-005672/");
    for (const text of [
      "KA2",
      "Cooperation for innovation",
      "Strategic Partnerships for school education",
      "€250,000",
      "1 September 2020",
      "31 August 2022",
      "Digital skills",
      "Germany, Greece",
      "National Agency DE01",
      "Parkstraße 1, 10115 Berlin",
      "Lykeio Athinon",
      "Good practice",
      "Success story",
    ]) {
      expect(html).toContain(text);
    }
    expect(html).toMatch(/<h1[^>]*lang="de"/);
    expect(html).toContain('href="https://project.example.org/" rel="nofollow noopener"');
    expect(html).toContain(`href="${rich.sourceUrl}"`);
  });

  it("publishes only published results and public contacts", async () => {
    const html = await page("/projects/erasmus-plus/2020-1-de01-ka201-005672/");
    expect(html).toContain(`href="/attachments/${ATTACHMENT}/Leitfaden.pdf"`);
    expect(html).toContain("2.4 MB");
    expect(html).toContain("German");
    expect(html).not.toContain("Unpublished draft result");
    expect(html).not.toContain(HIDDEN_ATTACHMENT);
    expect(html).toContain("Public Person");
    expect(html).not.toContain("Private Person");
    expect(html).not.toContain("private@example.org");
  });

  it("serves the logo as AVIF, WebP and PNG", async () => {
    const html = await page("/projects/erasmus-plus/2020-1-de01-ka201-005672/");
    expect(html).toContain(`srcset="/media/logos/${GOOD_LOGO}.avif" type="image/avif"`);
    expect(html).toContain(`srcset="/media/logos/${GOOD_LOGO}.webp" type="image/webp"`);
    expect(html).toMatch(/width="320"\s+height="160"/);
    for (const format of ["avif", "webp", "png"]) {
      const metadata = await sharp(
        join(outDir, "media", "logos", `${GOOD_LOGO}.${format}`),
      ).metadata();
      expect(metadata.width).toBe(320);
    }
  });

  it("reports the broken logo and builds its card", async () => {
    const issue = report.issues.find((entry) => entry.code === "LOGO_INVALID");
    expect(issue?.cardId).toBe("2019-1-FR01-KA101-000001");
    expect(issue?.file).toBe(BROKEN_LOGO);
    expect(issue?.message).toContain("2019-1-FR01-KA101-000001");
    const html = await page("/projects/erasmus-plus/2019-1-fr01-ka101-000001/");
    expect(html).toContain("Card with a broken logo");
    expect(html).not.toContain("<picture");
  });

  it("paginates listings", async () => {
    const first = await page("/programmes/creative-europe/");
    const second = await page("/programmes/creative-europe/2/");
    expect(first).toContain('href="/programmes/creative-europe/2/"');
    expect(first).toContain('aria-current="page"');
    expect(second).toContain("Projects 51 to 52 of 52");
    const practices = await page("/good-practices/");
    expect(practices).toContain("/projects/erasmus-plus/2020-1-de01-ka201-005672/");
    expect(practices).not.toContain("data-pagefind-body");
    const programmes = await page("/programmes/");
    expect(programmes).toContain('href="/programmes/erasmus-plus/"');
  });

  it("renders home with charts and a search form", async () => {
    const html = await page("/");
    expect(html).toContain('action="/search/"');
    expect(html).toContain('name="q"');
    expect(html.match(/role="img"/g)).toHaveLength(3);
    expect(html).toContain("<table");
    expect(html).not.toContain("data-pagefind-body");
  });

  it("indexes every card with Pagefind", async () => {
    const entry = JSON.parse(
      await readFile(join(outDir, "pagefind", "pagefind-entry.json"), "utf8"),
    );
    expect(entry.languages.en.page_count).toBe(55);
    expect(report.indexedPages).toBe(55);
    const fragments = join(outDir, "pagefind", "fragment");
    let found: { filters: Record<string, string[]>; meta: Record<string, string> } | undefined;
    for (const name of await readdir(fragments)) {
      const text = gunzipSync(await readFile(join(fragments, name))).toString("utf8");
      const record = JSON.parse(text.slice(text.indexOf("{")));
      if (record.url === "/projects/erasmus-plus/2020-1-de01-ka201-005672/") found = record;
    }
    expect(found?.meta.labels).toBe("Good practice, Success story");
    expect(found?.meta.coordinator).toBe("Gymnasium Am Park");
    expect(found?.filters.country).toEqual(["Germany", "Greece"]);
    expect(found?.filters.goodPractice).toEqual(["yes"]);
    expect(found?.filters.topic).toEqual(["Digital skills", "Inclusion"]);
    expect(found?.filters.callYear).toEqual(["2020"]);
    const shards = JSON.parse(await readFile(join(outDir, "pagefind", "shards.json"), "utf8"));
    expect(shards.bundles).toEqual(["/pagefind/"]);
  });

  it("shows labels given only by an officer", async () => {
    const url = "/projects/erasmus-plus/2018-1-it02-ka204-000002/";
    const html = await page(url);
    expect(html).toContain('<span class="ecl-label ecl-label--highlight">Good practice</span>');
    expect(html).toContain('<span class="ecl-label ecl-label--highlight">Success story</span>');
    expect(html).toContain('<span data-pagefind-filter="goodPractice">yes</span>');
    expect(html).toContain('<span data-pagefind-filter="successStory">yes</span>');
    expect(html).toContain('<span data-pagefind-meta="labels">Good practice, Success story</span>');
    expect(await page("/good-practices/")).toContain(url);
    expect(await page("/success-stories/")).toContain(url);
    expect(await page("/")).toContain(url);
    const minimalUrl = "/projects/creative-europe/101000-crea-1-2021/";
    expect(await page("/good-practices/")).not.toContain(minimalUrl);
  });

  it("writes valid sitemap, feed and robots", async () => {
    const index = await readFile(join(outDir, "sitemap.xml"), "utf8");
    expect(parseXml(index)).toContain("sitemapindex");
    expect(index).toContain("https://results.example.eu/sitemap-1.xml");
    const part = await readFile(join(outDir, "sitemap-1.xml"), "utf8");
    expect(parseXml(part).filter((name) => name === "url").length).toBe(
      report.steps.find((step) => step.step === "sitemap")?.count,
    );
    expect(part).toContain(
      "https://results.example.eu/projects/creative-europe/101000-crea-1-2021/",
    );
    expect(part).toContain("https://results.example.eu/open-data/");
    expect(part).not.toContain("404");
    const feed = await readFile(join(outDir, "feed.xml"), "utf8");
    expect(parseXml(feed).filter((name) => name === "entry").length).toBe(50);
    expect(feed.indexOf("2020-1-de01-ka201-005672")).toBeGreaterThan(0);
    const robots = await readFile(join(outDir, "robots.txt"), "utf8");
    expect(robots).toContain("Sitemap: https://results.example.eu/sitemap.xml");
  });

  it("exports open data without the invalid card", async () => {
    const openData = report.issues.filter((entry) => entry.step === "open-data");
    expect(openData.map((issue) => issue.code)).toEqual(["OPEN_DATA_CARD_SKIPPED"]);
    expect(openData[0].file).toBe(join("projects", "erasmus-plus", "broken.md"));
    expect(openData[0].message).toContain("broken.md");
    const json = JSON.parse(await readFile(join(outDir, "open-data", "projects.json"), "utf8"));
    expect(json).toHaveLength(55);
    const csv = await readFile(join(outDir, "open-data", "projects.csv"), "utf8");
    expect(csv).toContain(rich.id);
    expect(await page("/open-data/")).toContain("projects.csv");
  });

  it("copies vendor files and loads nothing from other hosts", async () => {
    await stat(join(outDir, "vendor", "ecl", "styles", "ecl-ec.css"));
    const fontCss = await readFile(join(outDir, "vendor", "fonts", "inter.css"), "utf8");
    for (const url of fontCss.matchAll(/url\(\.\/([^)]+)\)/g)) {
      await stat(join(outDir, "vendor", "fonts", url[1]));
    }
    const html = await page("/");
    expect(html).not.toMatch(
      /(src|href)="(https?:)?\/\/(?!results\.example\.eu)[^"]*\.(css|js|woff2?)"/,
    );
  });

  it("runs builds of one folder one after another", async () => {
    const options = { contentDir, outDir, mediaDir, imageCacheDir: join(root, "image-cache") };
    const [first, second] = await Promise.all([buildSite(options), buildSite(options)]);
    expect(first.finishedAt <= second.startedAt).toBe(true);
    expect(await page("/")).toContain("Results of EU-funded projects");
  }, 120_000);

  it("keeps the previous site when a step fails", async () => {
    const before = await page("/");
    const failed = buildSite({ contentDir, outDir, mediaDir, siteUrl: "not a url" });
    await expect(failed).rejects.toBeInstanceOf(BuildFailedError);
    await expect(failed).rejects.toMatchObject({ step: "astro" });
    expect(await page("/")).toBe(before);
    const leftovers = (await readdir(dirname(outDir))).filter((name) => name.includes(".dist."));
    expect(leftovers).toEqual([]);
    const partial = (await readdir(buildsDirOf(outDir))).filter((name) =>
      name.endsWith(".partial"),
    );
    expect(partial).toEqual([]);
  }, 120_000);
});

describe("buildSite open data and search shards", () => {
  let dataRoot: string;

  afterAll(async () => {
    await rm(dataRoot, { recursive: true, force: true });
  });

  it("writes CSV and JSON with card URLs", async () => {
    dataRoot = await mkdtemp(join(tmpdir(), "site-open-data-test-"));
    const content = join(dataRoot, "content");
    for (const card of [minimal, rich]) {
      await writeCardFile(cardPath(content, card.programme, card.id), card);
    }
    const out = join(dataRoot, "dist");
    // TMPDIR on another file system (tmpfs at /dev/shm where there is one) must not matter,
    // because every folder that is renamed into place is staged beside the output.
    const previousTmpdir = process.env.TMPDIR;
    if (existsSync("/dev/shm")) process.env.TMPDIR = "/dev/shm";
    let result: BuildReport;
    try {
      result = await buildSite({
        contentDir: content,
        outDir: out,
        mediaDir: join(dataRoot, "media"),
        imageCacheDir: join(dataRoot, "image-cache"),
        siteUrl: "https://results.example.eu",
        pagesPerSearchShard: 1,
      });
    } finally {
      if (previousTmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previousTmpdir;
    }
    // Work folders are gone; the builds and the state of incremental publication stay.
    expect((await readdir(join(dataRoot, ".build"))).sort()).toEqual(["dist-builds", "dist-state"]);
    expect(result.issues.filter((issue) => issue.step === "open-data")).toEqual([]);
    const csv = await readFile(join(out, "open-data", "projects.csv"), "utf8");
    expect(csv).toContain(
      "https://results.example.eu/projects/erasmus-plus/2020-1-de01-ka201-005672/",
    );
    const json = JSON.parse(await readFile(join(out, "open-data", "projects.json"), "utf8"));
    expect(json).toHaveLength(2);

    // One page a shard: two bundles, listed in shards.json, one page each.
    expect(result.searchBundles).toEqual(["/pagefind/", "/pagefind-2/"]);
    const shards = JSON.parse(await readFile(join(out, "pagefind", "shards.json"), "utf8"));
    expect(shards).toEqual({ bundles: ["/pagefind/", "/pagefind-2/"], pages: 2 });
    for (const bundle of ["pagefind", "pagefind-2"]) {
      const entry = JSON.parse(await readFile(join(out, bundle, "pagefind-entry.json"), "utf8"));
      expect(entry.languages.en.page_count).toBe(1);
    }
    const sitemap = await readFile(join(out, "sitemap-1.xml"), "utf8");
    expect(sitemap).not.toContain("pagefind");
  }, 120_000);
});
