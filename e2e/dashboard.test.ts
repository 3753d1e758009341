/**
 * The dashboards end to end, in the composition that `npm start` builds (`createPlatform` of
 * `scripts/dashboard.ts`). The real Culture 2007-2013 export goes into a temporary content
 * folder and the sample contacts feed into a temporary database. Mail goes to a real SMTP inbox,
 * the clock is movable, and the browser is the system Chromium. The steps share one story, so they run in order: a beneficiary
 * registers and edits a card, the helpdesk creates an officer, the officer returns and then
 * approves the submission. axe-core audits each page type on the way.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { serve } from "@hono/node-server";
import pino from "pino";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAccount } from "../editor-api/accounts/account.ts";
import { hashPassword } from "../editor-api/auth/password-hash.ts";
import { TEST_HASH_COST } from "../editor-api/config.ts";
import { type SmtpInbox, startSmtpInbox } from "../editor-api/testing/smtp-inbox.ts";
import { TestClock } from "../editor-api/testing/test-editor.ts";
import { image, minimalPdf } from "../editor-api/uploads/test-samples.ts";
import { readCardFile } from "../pipeline/card/index.ts";
import { importContacts } from "../pipeline/contacts/import.ts";
import { importFiles } from "../pipeline/import/index.ts";
import { createPlatform, loadDashboard } from "../scripts/dashboard.ts";
import { auditAccessibility, formatViolations, launchBrowser, openPage } from "./browser.ts";

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

let root: string;
let origin: string;
let inbox: SmtpInbox;
let browser: Browser;
let platform: Awaited<ReturnType<typeof createPlatform>>;
let server: ReturnType<typeof serve>;
let contentDir: string;
const clock = new TestClock(Date.parse("2011-04-01T09:00:00Z"));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "e2e-dashboard-"));
  contentDir = join(root, "content");
  const attachmentsDir = join(root, "attachments");
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
  const databasePath = join(root, "editor.db");

  // The contacts feed goes into the database before the index is filled at start.
  const feedDb = new DatabaseSync(databasePath);
  const feed = await importContacts(
    join(REPOSITORY_ROOT, "pipeline/contacts/sample-contacts.csv"),
    feedDb,
  );
  feedDb.close();
  expect(feed.rejected).toBe(false);

  platform = await createPlatform({
    env: {
      PUBLIC_URL: origin,
      DATABASE_PATH: databasePath,
      SMTP_URL: inbox.url,
      OUTBOX_DIR: join(root, "outbox"),
      PASSWORD_HASH_COST: "test",
    },
    contentDir,
    // The dashboard's client folder has the vendor styles and site.css the pages load, so the
    // audit checks the real styles without building the public site.
    distDir: dashboard.clientDir,
    attachmentsDir,
    logger,
    dashboard,
    clock: clock.now,
    rebuild: async () => {},
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
  await inbox?.close();
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
    for (const title of ["Touring handbook", "Workshop recordings"]) {
      await page.locator("#field-title-new").fill(title);
      await page.locator("#field-description-new").fill(`${title} of the project.`);
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
      "recordings.pdf",
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
    await officer.page
      .getByLabel("Comment to the beneficiary")
      .fill("Describe the recordings: where and when they were made.");
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
      ["Touring handbook", true],
    ]);
    expect(card.editorial.contacts[0]?.public).toBe(true);
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
