/**
 * The dashboards end to end, in the composition that `npm start` builds (`createPlatform` of
 * `scripts/dashboard.ts`). The real Culture 2007-2013 export goes into a temporary content
 * folder and the sample contacts feed into a temporary database. Mail goes to a real SMTP inbox,
 * the clock is movable, and the browser is the system Chromium. The public site is built from
 * the same content folder with `buildSite` before the flow, and the platform's rebuild queue
 * rebuilds it with the real build after the approval. The steps share one story, so they run in
 * order: a beneficiary registers and edits a card, the helpdesk creates an officer, the officer
 * returns and then approves the submission, and the public card page and search show what the
 * officer published and nothing else. axe-core audits each dashboard page type on the way.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { serve } from "@hono/node-server";
import pino from "pino";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAccount } from "../editor-api/accounts/account.ts";
import { hashPassword } from "../editor-api/auth/password-hash.ts";
import { TEST_HASH_COST } from "../editor-api/config.ts";
import { createTestDatabase, type TestDatabase } from "../editor-api/db/test-database.ts";
import { type SmtpInbox, startSmtpInbox } from "../editor-api/testing/smtp-inbox.ts";
import { TestClock } from "../editor-api/testing/test-editor.ts";
import { image, minimalPdf } from "../editor-api/uploads/test-samples.ts";
import { buildSite } from "../pipeline/build/build.ts";
import { closePagefind } from "../pipeline/build/pagefind.ts";
import { cardRelativePath, readCardFile } from "../pipeline/card/index.ts";
import { importContacts } from "../pipeline/contacts/import.ts";
import { importFiles } from "../pipeline/import/index.ts";
import { createPlatform, loadDashboard } from "../scripts/dashboard.ts";
import { rebuildSite } from "../scripts/start-steps.ts";
import { formatSize, languageName } from "../site/lib/format.ts";
import { auditAccessibility, formatViolations, launchBrowser, openPage } from "./browser.ts";
import { hitPaths, statusHead, waitForStatus } from "./search-page.ts";

const REPOSITORY_ROOT = resolve(import.meta.dirname, "..");
const REAL_DATA = resolve(REPOSITORY_ROOT, "../shared/data/real");
const CULTURE_EXPORT = join(
  REAL_DATA,
  "techforuk-my_eu",
  "Culture_2007_2013_Projects_Overview_2018-08-01.converted.csv",
);

/** A Culture project of EACEA that ends on 3 June 2011; the sample feed lists its contact. */
const PROJECT_ID = "EACEA-148970";
const CONTACT_EMAIL = "camille.roussel@example.org";
const PASSWORD = "amber kestrel 27 viaduct";
/** Debounce window of the rebuild queue in this test. The test moves the clock past it. */
const REBUILD_DEBOUNCE_MS = 1000;
/** The result the officer publishes, and the one left unpublished with its attachment. */
const PUBLISHED_RESULT = "Touring handbook";
const UNPUBLISHED_RESULT = "Workshop recordings";
const UNPUBLISHED_FILE = "recordings.pdf";
/** The officer's comment on the return, which stays between officer and beneficiary. */
const RETURN_COMMENT = "Describe the recordings: where and when they were made.";

let root: string;
let database: TestDatabase | undefined;
let origin: string;
let inbox: SmtpInbox;
let browser: Browser;
let platform: Awaited<ReturnType<typeof createPlatform>>;
let server: ReturnType<typeof serve>;
let contentDir: string;
let distDir: string;
const clock = new TestClock(Date.parse("2011-04-01T09:00:00Z"));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "e2e-dashboard-"));
  contentDir = join(root, "content");
  distDir = join(root, "dist");
  // Uploads and logos share one folder, as with `npm start`: the build reads logos from it.
  const attachmentsDir = join(root, "attachments");
  const imageCacheDir = join(root, "logo-cache");
  await mkdir(attachmentsDir, { recursive: true });
  await importFiles([CULTURE_EXPORT], { contentDir });

  const logger = pino({ level: "silent" });
  const dashboard = await loadDashboard(logger);
  inbox = await startSmtpInbox();
  // The port is known only once the server listens, and PUBLIC_URL needs it.
  let fetchApp: ((request: Request, env: unknown) => Response | Promise<Response>) | undefined;
  server = serve({
    fetch: (request, env) => {
      if (!fetchApp) return new Response("starting", { status: 503 });
      return fetchApp(request, env);
    },
    hostname: "127.0.0.1",
    port: 0,
  });
  await new Promise<void>((resolvePromise) => server.once("listening", resolvePromise));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await buildSite({
    contentDir,
    outDir: distDir,
    mediaDir: attachmentsDir,
    imageCacheDir,
    siteUrl: origin,
  });
  database = createTestDatabase(root);

  // The contacts feed goes into the database before the index is filled at start.
  const feedDb = database.open();
  const feed = await importContacts(
    join(REPOSITORY_ROOT, "pipeline/contacts/sample-contacts.csv"),
    feedDb,
  );
  feedDb.close();
  expect(feed.rejected).toBe(false);

  platform = await createPlatform({
    env: {
      PUBLIC_URL: origin,
      DATABASE_URL: database.url,
      SMTP_URL: inbox.url,
      OUTBOX_DIR: join(root, "outbox"),
      PASSWORD_HASH_COST: "test",
    },
    contentDir,
    distDir,
    attachmentsDir,
    logger,
    dashboard,
    clock: clock.now,
    // The job's card ids make the queue publish incrementally, as `npm start` does.
    rebuild: (job) =>
      rebuildSite(
        {
          contentDir,
          distDir,
          mediaDir: attachmentsDir,
          imageCacheDir,
          siteUrl: origin,
          logger,
        },
        job.cardIds,
      ),
    queueTiming: { debounceMs: REBUILD_DEBOUNCE_MS, pollMs: 100 },
  });
  const app = platform.app;
  fetchApp = (request, env) => app.fetch(request, env);

  // The first helpdesk account, as `editor-api/cli/create-helpdesk.ts` would create it.
  insertAccount(
    platform.deps.db,
    {
      username: "Helpdesk1",
      firstName: "Helpdesk",
      lastName: "Team",
      email: "helpdesk@example.test",
      passwordHash: await hashPassword(PASSWORD, TEST_HASH_COST),
      role: "helpdesk",
      agency: null,
      emailVerified: true,
    },
    clock.now(),
  );
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolvePromise) => {
    if (!server) return resolvePromise();
    server.close(() => resolvePromise());
    (server as Server).closeAllConnections();
  });
  await platform?.close();
  await closePagefind();
  await inbox?.close();
  database?.drop();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Runs axe-core on the page and fails with the list of violations. */
async function expectAccessible(page: Page): Promise<void> {
  // A click that navigates does not wait for the stylesheets, which the contrast rules need.
  await page.waitForLoadState("load");
  const violations = await auditAccessibility(page);
  expect(violations, `${page.url()}\n${formatViolations(violations)}`).toEqual([]);
}

/** Returns the link of the newest mail to `address` whose subject contains `subject`. */
function mailLink(address: string, subject: string): string {
  const mail = inbox.latest(address, subject);
  const link = mail.text.match(/https?:\/\/\S+/)?.[0];
  if (!link) throw new Error(`No link in the mail "${mail.subject}" to ${address}`);
  return link;
}

async function signIn(page: Page, login: string): Promise<void> {
  await page.goto(`${origin}/account/sign-in`);
  await page.getByLabel("Username or e-mail address").fill(login);
  await page.locator("#field-password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/account/sign-in"));
}

/**
 * Reads every file of the built site as text. Pagefind's gzip files are decompressed first, so
 * the search index is searched too. Returns the site paths whose text contains `needle`.
 */
async function builtFilesContaining(needle: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(distDir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    let bytes = await readFile(file);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    if (bytes.toString("utf8").includes(needle)) found.push(relative(distDir, file));
  }
  return found;
}

/** Opens the search page for `query` without filters and waits until it shows the outcome. */
async function searchFor(page: Page, query: string): Promise<void> {
  await page.goto(`${origin}/search/?q=${encodeURIComponent(query)}`);
  await page.waitForSelector("#search-app:not([hidden])");
  await page.waitForFunction(
    (words) => {
      const app = document.getElementById("search-app");
      const status = document.getElementById("search-status")?.textContent ?? "";
      return app !== null && !app.hasAttribute("aria-busy") && status.includes(words);
    },
    `“${query}”`,
    { timeout: 15_000 },
  );
}

/** Returns the card file of a project, from the editor's project index. */
function cardFileOf(id: string): string {
  const row = platform.deps.db.prepare("SELECT path FROM project_index WHERE id = ?").get(id) as
    | { path: string }
    | undefined;
  if (!row) throw new Error(`Project ${id} is not in the project index`);
  return join(contentDir, row.path);
}

const projectUrl = () => `${origin}/dashboard/projects/${PROJECT_ID}/`;

describe("dashboards", () => {
  let beneficiary: { context: BrowserContext; page: Page };
  let officer: { context: BrowserContext; page: Page };

  it("redirects anonymous visitors to sign-in", async () => {
    const response = await fetch(`${origin}/dashboard/projects/${PROJECT_ID}/`, {
      redirect: "manual",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(
      `/account/sign-in?return=${encodeURIComponent(`/dashboard/projects/${PROJECT_ID}/`)}`,
    );
  });

  it("keeps a foreign return path out of the sign-in form", async () => {
    const response = await fetch(`${origin}/account/sign-in?return=//evil.example/x`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).not.toContain("evil.example");
  });

  it("registers, verifies and signs in a beneficiary", async () => {
    beneficiary = await openPage(browser, origin);
    const { page } = beneficiary;
    await page.goto(`${origin}/account/register`);
    await expectAccessible(page);

    // A rejected form first: the summary takes the focus and the field names its error.
    await page.getByLabel("Username").fill("camille");
    await page.getByLabel("First name").fill("Camille");
    await page.getByLabel("Last name").fill("Roussel");
    await page.getByLabel("E-mail address").fill(CONTACT_EMAIL);
    await page.locator("#field-password").fill(PASSWORD);
    await page.getByLabel("Repeat the password").fill("something else entirely");
    await page.getByRole("button", { name: "Register" }).click();
    const summary = page.locator("[data-error-summary]");
    await expect.poll(() => summary.evaluate((node) => node === document.activeElement)).toBe(true);
    const repeatLink = summary.locator("a").first();
    expect(await repeatLink.getAttribute("href")).toBe("#field-passwordRepeat");
    const repeat = page.getByLabel("Repeat the password");
    expect(await repeat.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await repeat.getAttribute("aria-describedby")) ?? "";
    expect(await page.locator(`#${describedBy.split(" ")[0]}`).textContent()).toContain(
      "The two passwords differ",
    );
    await expectAccessible(page);

    await page.locator("#field-password").fill(PASSWORD);
    await page.getByLabel("Repeat the password").fill(PASSWORD);
    await page.getByRole("button", { name: "Register" }).click();
    await page.getByText("Check your mailbox").waitFor();

    const link = mailLink(CONTACT_EMAIL, "");
    expect(new URL(link).pathname).toBe("/account/verify-email");
    await page.goto(link.replace(/^https?:\/\/[^/]+/, origin));
    await expectAccessible(page);
    await page.getByRole("button", { name: "Confirm my e-mail address" }).click();
    await page.waitForURL(/\/account\/sign-in\?notice=verified/);
    await expectAccessible(page);

    await signIn(page, "camille");
    expect(new URL(page.url()).pathname).toBe("/dashboard/");
    await expect.poll(() => page.getByRole("link", { name: /W-EST_WHERE/ }).count()).toBe(1);
    await expectAccessible(page);
  });

  it("edits the card and refuses submission before the end date", async () => {
    const { page } = beneficiary;
    await page.getByRole("link", { name: /W-EST_WHERE/ }).click();
    expect(page.url()).toBe(projectUrl());
    await expectAccessible(page);

    await page.getByLabel("Project website").fill("w-est-where.example.org");
    await page.getByRole("button", { name: "Save the website" }).click();
    await page.getByText("The website is saved.").waitFor();
    expect(await page.getByLabel("Project website").inputValue()).toBe(
      "http://w-est-where.example.org/",
    );

    // Logo: preview before the upload, then the XMLHttpRequest upload with its progress bar.
    await page.evaluate(() => {
      sessionStorage.setItem("progress", "");
      const record = () => {
        for (const bar of document.querySelectorAll("progress")) {
          if (!bar.hidden) sessionStorage.setItem("progress", String(bar.value));
        }
      };
      new MutationObserver(record).observe(document.body, {
        attributes: true,
        subtree: true,
        attributeFilter: ["hidden", "value"],
      });
    });
    await page.getByLabel("Logo file", { exact: true }).setInputFiles({
      name: "logo.png",
      mimeType: "image/png",
      buffer: await image("png", 120, 60),
    });
    await expect.poll(() => page.locator("#logo-preview").getAttribute("src")).toMatch(/^blob:/);
    const logoUpload = page.waitForRequest(
      (request) => request.method() === "PUT" && request.url().endsWith("/logo"),
    );
    await page.getByRole("button", { name: "Upload the logo" }).click();
    expect((await logoUpload).headers()["x-csrf-token"]).toBeTruthy();
    await page.getByText("logo.png is uploaded.").waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("progress"))).toBe("100");
    expect(await page.getByAltText(/Current logo of/).count()).toBe(1);

    // Contact person with the public confirmation.
    await page.getByLabel("Name").first().fill("Camille Roussel");
    await page.getByLabel("E-mail address").first().fill(CONTACT_EMAIL);
    await page
      .getByLabel(/Show publicly/)
      .first()
      .check();
    await page.getByRole("button", { name: "Save the contact persons" }).click();
    await page.getByText("The contact persons are saved.").waitFor();

    // A result without a title: the summary links to the field of the add form.
    await page.getByRole("button", { name: "Add the result" }).click();
    const titleLink = page.locator("[data-error-summary] a").first();
    await titleLink.waitFor();
    expect(await titleLink.getAttribute("href")).toBe("#field-title-new");
    expect(await page.locator("#field-title-new").getAttribute("aria-invalid")).toBe("true");

    // Two results; the first gets a PDF through the progress-bar upload.
    for (const title of [PUBLISHED_RESULT, UNPUBLISHED_RESULT]) {
      await page.locator("#field-title-new").fill(title);
      await page.locator("#field-description-new").fill(`${title} of the project.`);
      await page.locator("#field-type-new").fill(title === PUBLISHED_RESULT ? "Handbook" : "Video");
      await page.locator("#field-language-new").selectOption("en");
      await page.getByRole("button", { name: "Add the result" }).click();
      await page.getByText("The result is added.").waitFor();
    }
    await page.getByLabel("Attachment of result 1", { exact: true }).setInputFiles({
      name: "handbook.pdf",
      mimeType: "application/pdf",
      buffer: minimalPdf(),
    });
    await page.getByRole("button", { name: "Upload the attachment" }).first().click();
    await page.getByText("handbook.pdf is uploaded.").waitFor();
    expect(await page.getByRole("link", { name: /handbook\.pdf/ }).count()).toBe(1);
    await expectAccessible(page);

    // Without JavaScript the form posts the file to the page, which forwards it to the API.
    const cookie = (await beneficiary.context.cookies(origin))
      .map((entry) => `${entry.name}=${entry.value}`)
      .join("; ");
    const project = (await (
      await fetch(`${origin}/api/projects/${PROJECT_ID}`, { headers: { cookie } })
    ).json()) as { version: number; drafts: { id: string }[] };
    const session = (await (
      await fetch(`${origin}/api/session`, { headers: { cookie } })
    ).json()) as { csrfToken: string };
    const form = new FormData();
    form.set("_csrf", session.csrfToken);
    form.set("action", "attachment");
    form.set("resultId", project.drafts[1]?.id ?? "");
    form.set("version", String(project.version));
    form.set(
      "file",
      new Blob([new Uint8Array(minimalPdf())], { type: "application/pdf" }),
      UNPUBLISHED_FILE,
    );
    const posted = await fetch(projectUrl(), {
      method: "POST",
      headers: { cookie, origin },
      body: form,
      redirect: "manual",
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toContain("notice=The%20attachment%20is%20uploaded.");
    await page.reload();
    expect(await page.getByRole("link", { name: /recordings\.pdf/ }).count()).toBe(1);

    await page.getByRole("button", { name: "Submit for validation" }).click();
    const summary = page.locator("[data-error-summary]");
    await summary.waitFor();
    expect(await summary.textContent()).toContain("2011-06-03");
    await expectAccessible(page);
  });

  it("lets the helpdesk create an officer", async () => {
    const helpdesk = await openPage(browser, origin);
    const { page } = helpdesk;
    await signIn(page, "Helpdesk1");
    expect(new URL(page.url()).pathname).toBe("/dashboard/helpdesk/");
    await expectAccessible(page);
    await page.locator("#field-username").fill("Officer1");
    await page.getByLabel("First name").fill("Olga");
    await page.getByLabel("Last name").fill("Officer");
    await page.locator("#field-email").fill("officer@example.test");
    await page.getByLabel("Managing agency (officers only)").fill("EACEA");
    await page.getByRole("button", { name: "Create the account" }).click();
    await page.getByText("Account Officer1 is created").waitFor();
    await helpdesk.context.close();

    officer = await openPage(browser, origin);
    const link = mailLink("officer@example.test", "");
    expect(new URL(link).pathname).toBe("/account/set-password");
    await officer.page.goto(link.replace(/^https?:\/\/[^/]+/, origin));
    await expectAccessible(officer.page);
    await officer.page.locator("#field-password").fill(PASSWORD);
    await officer.page.getByLabel("Repeat the new password").fill(PASSWORD);
    await officer.page.getByRole("button", { name: "Set the password" }).click();
    await officer.page.waitForURL(/notice=password-set/);
  });

  it("submits after the end date and the officer returns it", async () => {
    // Ten days after the end date; the sessions of the old time have ended.
    clock.advance(Date.parse("2011-06-13T09:00:00Z") - clock.now().getTime());
    const { page } = beneficiary;
    await signIn(page, CONTACT_EMAIL);
    await page.goto(projectUrl());
    await page.getByRole("button", { name: "Submit for validation" }).click();
    await page.getByText("The card is submitted for validation.").waitFor();

    clock.advance(2 * 86_400_000);
    await signIn(officer.page, "Officer1");
    expect(new URL(officer.page.url()).pathname).toBe("/review/");
    const row = officer.page.getByRole("row", { name: /W-EST_WHERE/ });
    expect(await row.textContent()).toContain("2 days");
    await expectAccessible(officer.page);
    await row.getByRole("link").click();
    await expectAccessible(officer.page);

    await officer.page.getByRole("button", { name: "Return for changes" }).click();
    await officer.page.locator("[data-error-summary]").waitFor();
    expect(
      await officer.page.getByLabel("Comment to the beneficiary").getAttribute("aria-invalid"),
    ).toBe("true");
    await expectAccessible(officer.page);
    await officer.page.getByLabel("Comment to the beneficiary").fill(RETURN_COMMENT);
    await officer.page.getByRole("button", { name: "Return for changes" }).click();
    await officer.page.getByText(`Card ${PROJECT_ID} is returned.`).waitFor();
  });

  it("resubmits and the officer approves one result as good practice", async () => {
    const { page } = beneficiary;
    // The clock moved two days since the beneficiary signed in, so the session has ended.
    await signIn(page, CONTACT_EMAIL);
    await page.goto(projectUrl());
    await page.getByText("Describe the recordings").waitFor();
    await page.getByRole("button", { name: "Submit for validation" }).click();
    await page.getByText("The card is submitted for validation.").waitFor();

    await officer.page.goto(`${origin}/review/${PROJECT_ID}/`);
    await officer.page.getByLabel("Publish result 1").check();
    await officer.page.getByLabel("Good Practice").check();
    await officer.page.getByRole("button", { name: "Approve and publish" }).click();
    await officer.page.getByText(`Card ${PROJECT_ID} is approved.`).waitFor();

    const card = await readCardFile(cardFileOf(PROJECT_ID));
    expect(card.editorial.review.state).toBe("approved");
    expect(card.editorial.website).toBe("http://w-est-where.example.org/");
    expect(card.editorial.labels).toEqual({ goodPractice: true, successStory: false });
    expect(card.editorial.results.map((result) => [result.title, result.published])).toEqual([
      [PUBLISHED_RESULT, true],
    ]);
    expect(card.editorial.contacts[0]?.public).toBe(true);
  });

  it("rebuilds the public site through the queue", async () => {
    // The approval queued a job; it is due once the debounce window has passed.
    expect(platform.queue.list().some((job) => job.state === "queued")).toBe(true);
    clock.advance(REBUILD_DEBOUNCE_MS);
    platform.queue.start();
    await expect
      .poll(
        () =>
          platform.queue.list().filter((job) => job.state === "queued" || job.state === "running")
            .length,
        { timeout: 120_000, interval: 250 },
      )
      .toBe(0);
    const jobs = platform.queue.list();
    expect(jobs.filter((job) => job.state !== "done").map((job) => job.error)).toEqual([]);
    expect(jobs[0]?.cardIds).toContain(PROJECT_ID);
  }, 150_000);

  it("shows the published result on the public card page", async () => {
    const card = await readCardFile(cardFileOf(PROJECT_ID));
    const [result] = card.editorial.results;
    const attachment = result?.attachment;
    if (!attachment) throw new Error(`the published result of ${PROJECT_ID} has no attachment`);
    const cardUrl = `/${cardRelativePath(card.programme, card.id).replace(/\.md$/, "")}/`;

    const visitor = await openPage(browser, origin);
    const { page } = visitor;
    const response = await page.goto(`${origin}${cardUrl}`);
    expect(response?.status()).toBe(200);
    expect((await page.textContent("h1"))?.trim()).toBe(card.title);
    expect(await page.locator(".card-labels").textContent()).toContain("Good practice");

    const results = page.locator("section[aria-labelledby='results-heading'] li");
    expect(await results.count()).toBe(1);
    const item = results.first();
    expect((await item.locator("h3").textContent())?.trim()).toBe(PUBLISHED_RESULT);
    expect(await item.textContent()).toContain("Handbook");
    const meta = (await item.locator("p[lang='en'] .listing__meta").textContent()) ?? "";
    expect(meta.trim()).toBe(`(PDF, ${formatSize(attachment.size)}, ${languageName("en")})`);
    expect(await page.textContent("body")).not.toContain(UNPUBLISHED_RESULT);
    expect(await page.content()).not.toContain(UNPUBLISHED_FILE);
    expect(await page.content()).not.toContain(RETURN_COMMENT);

    // The download link serves the uploaded PDF as a download, never rendered in place.
    const link = item.getByRole("link", { name: `Download ${attachment.fileName}` });
    const href = (await link.getAttribute("href")) ?? "";
    const download = await page.request.get(new URL(href, origin).href);
    expect(download.status()).toBe(200);
    expect(download.headers()["content-type"]).toBe("application/pdf");
    expect(download.headers()["content-disposition"]).toMatch(
      /^attachment; filename="handbook\.pdf"/,
    );
    expect(download.headers()["x-content-type-options"]).toBe("nosniff");
    expect(Buffer.from(await download.body()).equals(minimalPdf())).toBe(true);
    await visitor.context.close();
  });

  it("finds the card by its result title in search", async () => {
    const card = await readCardFile(cardFileOf(PROJECT_ID));
    const cardUrl = `/${cardRelativePath(card.programme, card.id).replace(/\.md$/, "")}/`;
    const visitor = await openPage(browser, origin);
    const { page } = visitor;

    // "handbook" occurs in the published result's title, not in the card's contractual text.
    expect((card.summary ?? "").toLowerCase()).not.toContain("handbook");
    expect(card.title.toLowerCase()).not.toContain("handbook");
    await searchFor(page, "handbook");
    expect(await hitPaths(page)).toContain(cardUrl);
    const hit = page.locator("#search-hits > li", { has: page.locator(`a[href="${cardUrl}"]`) });
    expect(await hit.textContent()).toContain(card.title);
    expect(await hit.locator(".ecl-label").allTextContents()).toContain("Good practice");

    // The Good practice filter counts the card, and selecting it keeps the card among the hits.
    const countText = (await page.textContent('[data-flag-count="goodPractice"]')) ?? "";
    const goodPracticeCount = Number(countText.replace(/[()]/g, ""));
    expect(goodPracticeCount).toBeGreaterThanOrEqual(1);
    await page.locator('label[for="filter-goodPractice"]').click();
    await waitForStatus(page, statusHead(goodPracticeCount, "handbook", 1));
    expect(await hitPaths(page)).toContain(cardUrl);

    // The unpublished result's words find nothing of this card.
    await searchFor(page, "recordings");
    expect(await hitPaths(page)).not.toContain(cardUrl);
    await visitor.context.close();
  });

  it("keeps the unpublished result out of the built site", async () => {
    // The published title is in the card page and in the search index, so the reader works.
    const published = await builtFilesContaining(PUBLISHED_RESULT);
    expect(published.some((path) => path.startsWith("projects/"))).toBe(true);
    // An incremental publication writes the re-indexed shard to a new `pagefind-<n>-<token>/`.
    expect(published.some((path) => /^pagefind(-[^/]+)?\//.test(path))).toBe(true);
    expect(await builtFilesContaining(UNPUBLISHED_RESULT)).toEqual([]);
    expect(await builtFilesContaining(UNPUBLISHED_FILE)).toEqual([]);
    expect(await builtFilesContaining(RETURN_COMMENT)).toEqual([]);
  });

  it("shows the account page accessibly", async () => {
    const { page } = beneficiary;
    await page.goto(`${origin}/account/`);
    await page.getByText(CONTACT_EMAIL).first().waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/notice=signed-out/);
    await page.goto(`${origin}/account/forgot-password`);
    await expectAccessible(page);
  });
});
