/**
 * The authorization matrix of the dashboard pages, in the composition that `npm start` builds
 * (`createPlatform` with the built dashboards): one row per page file under
 * `site/dashboard/pages/` and one expected status per caller for a GET of that page. A page that
 * needs an account sends an anonymous caller to sign-in with a same-site return path, a wrong
 * role gets 403, and a project the caller cannot see is 404 as in the API. A page file without a
 * row, or a row without a page file, fails the test.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { serve } from "@hono/node-server";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAccount, type Role } from "../editor-api/accounts/account.ts";
import { hashPassword } from "../editor-api/auth/password-hash.ts";
import { TEST_HASH_COST } from "../editor-api/config.ts";
import { createTestDatabase, type TestDatabase } from "../editor-api/db/test-database.ts";
import { DANCE_CARD, OTHER_CARD } from "../editor-api/projects/fixtures.ts";
import { type SmtpInbox, startSmtpInbox } from "../editor-api/testing/smtp-inbox.ts";
import { TEST_PASSWORD, TestClient, TestClock } from "../editor-api/testing/test-editor.ts";
import { cardPath, writeCardFile } from "../pipeline/card/index.ts";
import { importContacts } from "../pipeline/contacts/import.ts";
import { createPlatform, loadDashboard } from "../scripts/dashboard.ts";
import { projectHref } from "../site/dashboard/lib/project.ts";

const REPOSITORY_ROOT = resolve(import.meta.dirname, "..");
const PAGES_DIR = join(REPOSITORY_ROOT, "site", "dashboard", "pages");

const CALLERS = [
  "anonymous",
  "beneficiary of this project",
  "beneficiary of another project",
  "officer of this agency",
  "officer of another agency",
  "helpdesk",
] as const;
type Caller = (typeof CALLERS)[number];

const ACCOUNTS: Record<
  Exclude<Caller, "anonymous">,
  { username: string; email: string; role: Role; agency: string | null }
> = {
  "beneficiary of this project": {
    username: "Anna",
    email: "anna@ngo.example",
    role: "beneficiary",
    agency: null,
  },
  "beneficiary of another project": {
    username: "Otto",
    email: "otto@school.example",
    role: "beneficiary",
    agency: null,
  },
  "officer of this agency": {
    username: "Olga",
    email: "olga@agency.example",
    role: "officer",
    agency: "EACEA",
  },
  "officer of another agency": {
    username: "Dirk",
    email: "dirk@agency.example",
    role: "officer",
    agency: "DE02",
  },
  helpdesk: { username: "Helen", email: "helen@agency.example", role: "helpdesk", agency: null },
};

/** Redirect to sign-in that comes back to the page; the row's path is the expected return. */
const SIGN_IN = "sign-in";
/** Redirect of a signed-in caller away from a page meant for visitors without a session. */
const AWAY = "away";
type Expected = number | typeof SIGN_IN | typeof AWAY;

interface PageRow {
  /** Page file, relative to `site/dashboard/pages/`. */
  file: string;
  /** Path requested, with a project id for the `[...id]` pages. */
  path: string;
  /** Expected outcome per caller, in the order of CALLERS. */
  expected: [Expected, Expected, Expected, Expected, Expected, Expected];
}

const PAGES: PageRow[] = [
  {
    file: "account/index.astro",
    path: "/account/",
    expected: [SIGN_IN, 200, 200, 200, 200, 200],
  },
  {
    file: "account/sign-in.astro",
    path: "/account/sign-in",
    expected: [200, AWAY, AWAY, AWAY, AWAY, AWAY],
  },
  {
    file: "account/register.astro",
    path: "/account/register",
    expected: [200, 200, 200, 200, 200, 200],
  },
  {
    file: "account/forgot-password.astro",
    path: "/account/forgot-password",
    expected: [200, 200, 200, 200, 200, 200],
  },
  {
    file: "account/reset-password.astro",
    path: "/account/reset-password",
    expected: [200, 200, 200, 200, 200, 200],
  },
  {
    file: "account/set-password.astro",
    path: "/account/set-password",
    expected: [200, 200, 200, 200, 200, 200],
  },
  {
    file: "account/verify-email.astro",
    path: "/account/verify-email",
    expected: [200, 200, 200, 200, 200, 200],
  },
  {
    file: "account/confirm-email.astro",
    path: "/account/confirm-email",
    expected: [200, 200, 200, 200, 200, 200],
  },
  {
    // The sign-out endpoint exports only POST, so a GET matches no page.
    file: "account/sign-out.ts",
    path: "/account/sign-out",
    expected: [404, 404, 404, 404, 404, 404],
  },
  {
    file: "dashboard/index.astro",
    path: "/dashboard/",
    expected: [SIGN_IN, 200, 200, 200, 200, 200],
  },
  {
    file: "dashboard/projects/[...id].astro",
    path: projectHref("/dashboard/projects", DANCE_CARD.id),
    expected: [SIGN_IN, 200, 404, 200, 404, 200],
  },
  {
    file: "dashboard/helpdesk/index.astro",
    path: "/dashboard/helpdesk/",
    expected: [SIGN_IN, 403, 403, 403, 403, 200],
  },
  {
    file: "review/index.astro",
    path: "/review/",
    expected: [SIGN_IN, 403, 403, 200, 200, 200],
  },
  {
    file: "review/[...id].astro",
    path: projectHref("/review", DANCE_CARD.id),
    expected: [SIGN_IN, 403, 403, 200, 404, 200],
  },
];

let root: string;
let database: TestDatabase | undefined;
let origin: string;
let inbox: SmtpInbox;
let platform: Awaited<ReturnType<typeof createPlatform>>;
let server: ReturnType<typeof serve>;
const clients = new Map<Caller, TestClient>();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "e2e-authorization-pages-"));
  const contentDir = join(root, "content");
  const distDir = join(root, "dist");
  const attachmentsDir = join(root, "attachments");
  await mkdir(distDir, { recursive: true });
  await mkdir(attachmentsDir, { recursive: true });
  await writeCardFile(cardPath(contentDir, DANCE_CARD.programme, DANCE_CARD.id), {
    ...DANCE_CARD,
    editorial: { results: [], contacts: [], review: { state: "submitted" } },
  });
  await writeCardFile(cardPath(contentDir, OTHER_CARD.programme, OTHER_CARD.id), OTHER_CARD);

  // createPlatform fills the project index at start, so the feed must be imported before it.
  database = createTestDatabase(root);
  const feedFile = join(root, "contacts.csv");
  await writeFile(
    feedFile,
    [
      "Project Identifier;Contact name;Contact e-mail;Contact phone;Contact role;Organisation",
      `${DANCE_CARD.id};Anna Peeters;anna@ngo.example;;;`,
      `${OTHER_CARD.id};Otto Berg;otto@school.example;;;`,
      "",
    ].join("\n"),
  );
  const feedDb = database.open();
  const feed = await importContacts(feedFile, feedDb);
  feedDb.close();
  expect(feed.rejected).toBe(false);

  const logger = pino({ level: "silent" });
  const dashboard = await loadDashboard(logger);
  inbox = await startSmtpInbox();
  // PUBLIC_URL contains the port, so the server listens first and gets its app afterwards.
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
  const clock = new TestClock();
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
    rebuild: async () => {},
  });
  const app = platform.app;
  fetchApp = (request, env) => app.fetch(request, env);

  const passwordHash = await hashPassword(TEST_PASSWORD, TEST_HASH_COST);
  clients.set("anonymous", new TestClient(origin));
  for (const [caller, account] of Object.entries(ACCOUNTS)) {
    insertAccount(
      platform.deps.db,
      {
        ...account,
        firstName: "Test",
        lastName: account.username,
        passwordHash,
        emailVerified: true,
      },
      clock.now(),
    );
    const client = new TestClient(origin);
    const response = await client.signIn(account.username);
    if (response.status !== 200) {
      throw new Error(`sign-in of ${account.username} failed with ${response.status}`);
    }
    clients.set(caller as Caller, client);
  }
}, 180_000);

afterAll(async () => {
  await new Promise<void>((resolvePromise) => {
    if (!server) return resolvePromise();
    server.close(() => resolvePromise());
    (server as Server).closeAllConnections();
  });
  await platform?.close();
  await inbox?.close();
  database?.drop();
  if (root) await rm(root, { recursive: true, force: true });
});

async function listPageFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(PAGES_DIR, join(entry.parentPath, entry.name)))
    .sort();
}

/** Describes a response as the table does: its status, or where a redirect goes. */
function outcomeOf(response: Response, row: PageRow): string {
  const location = response.headers.get("location");
  if (response.status !== 302 && response.status !== 303) return String(response.status);
  if (!location) return `${response.status} without Location`;
  const target = new URL(location, origin);
  if (target.origin !== origin) return `redirect off site to ${location}`;
  const signIn = `/account/sign-in?return=${encodeURIComponent(row.path)}`;
  if (`${target.pathname}${target.search}` === signIn) return SIGN_IN;
  return target.pathname === row.path ? `redirect to itself` : AWAY;
}

/** Headers that `mountDashboard` sets on every dashboard response, refusals included. */
const DASHBOARD_HEADERS = "frame-ancestors 'none', script-src 'self', DENY, no-store";

function dashboardHeadersOf(response: Response): string {
  const policy = response.headers.get("content-security-policy") ?? "";
  return [
    policy.includes("frame-ancestors 'none'") ? "frame-ancestors 'none'" : `CSP ${policy}`,
    policy.includes("script-src 'self'") ? "script-src 'self'" : "no script-src 'self'",
    response.headers.get("x-frame-options"),
    response.headers.get("cache-control"),
  ].join(", ");
}

describe("dashboard page authorization", () => {
  it("lists every page file", async () => {
    const listed = PAGES.map((row) => row.file).sort();
    expect(listed).toEqual([...new Set(listed)]);
    expect(listed).toEqual(await listPageFiles(PAGES_DIR));
  });

  it.each(PAGES)("$file", async (row) => {
    const outcomes: string[] = [];
    const expectations: string[] = [];
    for (const [index, caller] of CALLERS.entries()) {
      const client = clients.get(caller);
      if (!client) throw new Error(`no client for ${caller}`);
      const response = await client.get(row.path);
      await response.body?.cancel();
      const label = `${row.path} as ${caller}`;
      outcomes.push(`${label}: ${outcomeOf(response, row)}`);
      expectations.push(`${label}: ${row.expected[index]}`);
      outcomes.push(`${label}: ${dashboardHeadersOf(response)}`);
      expectations.push(`${label}: ${DASHBOARD_HEADERS}`);
    }
    expect(outcomes).toEqual(expectations);
  });
});
