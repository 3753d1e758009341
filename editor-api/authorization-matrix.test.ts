/**
 * The authorization matrix of the whole editor API: one row per route of the composed app and one
 * expected status per caller. The route list comes from the app itself (`app.routes`), so a new
 * route without a row, or a row whose route is gone, fails the test. Requests are real HTTP with
 * the Origin header and the session's CSRF token, so a rejection here is about who calls, not about
 * CSRF. After each rejected write the content folder, the attachments and the database must be
 * byte for byte as before.
 */
import { describe, expect, it } from "vitest";
import type { CardInput } from "../pipeline/card/index.ts";
import { createEditorialApp } from "./editorial.ts";
import { DANCE_CARD, OTHER_CARD, projectPath, remove } from "./projects/fixtures.ts";
import { type EditorialTest, startEditorialTest, upload } from "./projects/test-editorial.ts";
import { snapshotEditorialState } from "./testing/editorial-snapshot.ts";
import { TEST_PASSWORD, type TestClient } from "./testing/test-editor.ts";
import * as samples from "./uploads/test-samples.ts";

const ID = DANCE_CARD.id;
const SEEDED_RESULT = "r-seeded";
/** A link token of the valid shape that no account was sent. */
const UNKNOWN_TOKEN = "a".repeat(32);

const CALLERS = [
  "anonymous",
  "beneficiary of this project",
  "beneficiary of another project",
  "officer of this agency",
  "officer of another agency",
  "helpdesk",
] as const;
type Caller = (typeof CALLERS)[number];

const USERNAMES: Record<Caller, string | undefined> = {
  anonymous: undefined,
  "beneficiary of this project": "Anna",
  "beneficiary of another project": "Otto",
  "officer of this agency": "Olga",
  "officer of another agency": "Dirk",
  helpdesk: "Helen",
};

type ReviewState = "open" | "submitted" | "approved";

interface Context {
  test: EditorialTest;
  client: TestClient;
  /** Version of the card's workflow row, for If-Match style `version` fields. */
  version: number;
  /** Account id of the officer of another agency, a target for the staff routes. */
  staffId: number;
}

interface Row {
  /** Method and Hono path, as in `app.routes`. */
  route: string;
  /** Review state of the card before the request; "open" by default. */
  state?: ReviewState;
  /** Runs on the fresh editor before any caller's request. */
  setup?: (test: EditorialTest) => Promise<void>;
  send: (context: Context) => Promise<Response>;
  /** Expected status per caller, in the order of CALLERS. */
  expected: [number, number, number, number, number, number];
}

const review = `/api/review/${encodeURIComponent(ID)}`;
const attachment = projectPath(ID, `/results/${SEEDED_RESULT}/attachment`);
const grantee = { projectId: ID, email: "grantee@ngo.example" };

async function signInAs(test: EditorialTest, username: string): Promise<TestClient> {
  const client = test.client();
  const response = await client.signIn(username);
  if (response.status !== 200)
    throw new Error(`sign-in of ${username} failed with ${response.status}`);
  return client;
}

/** Uploads the seeded result's attachment as helpdesk, so that it can be downloaded. */
async function attachPdf(test: EditorialTest): Promise<void> {
  const helen = await signInAs(test, "Helen");
  const response = await upload(helen, attachment, samples.minimalPdf(), {
    fileName: "programme.pdf",
    version: currentVersion(test),
  });
  if (response.status !== 200) throw new Error(`attachment setup failed with ${response.status}`);
}

async function grantAccess(test: EditorialTest): Promise<void> {
  const helen = await signInAs(test, "Helen");
  const response = await helen.post("/api/grants", grantee);
  if (response.status !== 201) throw new Error(`grant setup failed with ${response.status}`);
}

/**
 * The matrix. 401 is "not signed in", 403 a role that may never call the route, 404 a project the
 * caller cannot see (so the response does not reveal that it exists), 409 a caller who may see the card
 * but not change it in its current review state. Routes whose credential is a link token or a
 * password answer every caller alike; OIDC answers 503 because the test editor has none set up.
 */
const ROWS: Row[] = [
  {
    route: "GET /api/openapi.json",
    send: ({ client }) => client.get("/api/openapi.json"),
    expected: [200, 200, 200, 200, 200, 200],
  },
  {
    route: "POST /api/auth/login",
    send: ({ client }) =>
      client.post("/api/auth/login", { login: "Grantee", password: TEST_PASSWORD }),
    expected: [200, 200, 200, 200, 200, 200],
  },
  {
    route: "POST /api/auth/logout",
    send: ({ client }) => client.post("/api/auth/logout"),
    expected: [401, 204, 204, 204, 204, 204],
  },
  {
    route: "GET /api/session",
    send: ({ client }) => client.get("/api/session"),
    expected: [401, 200, 200, 200, 200, 200],
  },
  {
    route: "POST /api/accounts",
    send: ({ client }) =>
      client.post("/api/accounts", {
        username: "Newcomer",
        firstName: "Nora",
        lastName: "Newcomer",
        email: "nora@ngo.example",
        password: TEST_PASSWORD,
      }),
    expected: [202, 202, 202, 202, 202, 202],
  },
  {
    route: "POST /api/auth/verify-email",
    send: ({ client }) => client.post("/api/auth/verify-email", { token: UNKNOWN_TOKEN }),
    expected: [400, 400, 400, 400, 400, 400],
  },
  {
    route: "POST /api/auth/verify-email/resend",
    send: ({ client }) =>
      client.post("/api/auth/verify-email/resend", { email: "grantee@ngo.example" }),
    expected: [202, 202, 202, 202, 202, 202],
  },
  {
    route: "POST /api/auth/password-reset",
    send: ({ client }) => client.post("/api/auth/password-reset", { email: "grantee@ngo.example" }),
    expected: [202, 202, 202, 202, 202, 202],
  },
  {
    route: "POST /api/auth/password-reset/confirm",
    send: ({ client }) =>
      client.post("/api/auth/password-reset/confirm", {
        token: UNKNOWN_TOKEN,
        password: "quiet harbour 19 signal",
      }),
    expected: [400, 400, 400, 400, 400, 400],
  },
  {
    route: "POST /api/auth/set-password",
    send: ({ client }) =>
      client.post("/api/auth/set-password", {
        token: UNKNOWN_TOKEN,
        password: "quiet harbour 19 signal",
      }),
    expected: [400, 400, 400, 400, 400, 400],
  },
  {
    route: "POST /api/account/email",
    send: ({ client }) =>
      client.post("/api/account/email", { newEmail: "moved@ngo.example", password: TEST_PASSWORD }),
    expected: [401, 202, 202, 202, 202, 202],
  },
  {
    route: "POST /api/auth/email-change/confirm",
    send: ({ client }) => client.post("/api/auth/email-change/confirm", { token: UNKNOWN_TOKEN }),
    expected: [400, 400, 400, 400, 400, 400],
  },
  {
    route: "POST /api/staff/accounts",
    send: ({ client }) =>
      client.post("/api/staff/accounts", {
        username: "Nadia",
        firstName: "Nadia",
        lastName: "Officer",
        email: "nadia@agency.example",
        role: "officer",
        agency: "FR01",
      }),
    expected: [401, 403, 403, 403, 403, 201],
  },
  {
    route: "GET /api/staff/accounts",
    send: ({ client }) => client.get("/api/staff/accounts"),
    expected: [401, 403, 403, 403, 403, 200],
  },
  {
    route: "PATCH /api/staff/accounts/:id",
    send: ({ client, staffId }) =>
      client.patch(`/api/staff/accounts/${staffId}`, { heightenedSecurity: true }),
    expected: [401, 403, 403, 403, 403, 200],
  },
  {
    route: "GET /api/auth/oidc/start",
    send: ({ client }) => client.get("/api/auth/oidc/start"),
    expected: [503, 503, 503, 503, 503, 503],
  },
  {
    route: "GET /api/auth/oidc/callback",
    send: ({ client }) => client.get("/api/auth/oidc/callback?state=s&code=c"),
    expected: [503, 503, 503, 503, 503, 503],
  },
  {
    route: "GET /api/projects",
    send: ({ client }) => client.get("/api/projects"),
    expected: [401, 200, 200, 200, 200, 200],
  },
  {
    route: "GET /api/projects/:id",
    send: ({ client }) => client.get(projectPath(ID)),
    expected: [401, 200, 404, 200, 404, 200],
  },
  {
    route: "PUT /api/projects/:id/website",
    send: ({ client, version }) =>
      client.request("PUT", projectPath(ID, "/website"), { website: "dance.example", version }),
    expected: [401, 200, 404, 409, 404, 200],
  },
  {
    route: "PUT /api/projects/:id/contacts",
    send: ({ client, version }) =>
      client.request("PUT", projectPath(ID, "/contacts"), {
        contacts: [{ organisation: "coordinator", name: "Anna Peeters", public: true }],
        version,
      }),
    expected: [401, 200, 404, 409, 404, 200],
  },
  {
    route: "POST /api/projects/:id/submit",
    send: ({ client, version }) => client.post(projectPath(ID, "/submit"), { version }),
    expected: [401, 200, 404, 403, 404, 403],
  },
  {
    route: "POST /api/projects/:id/results",
    send: ({ client, version }) =>
      client.post(projectPath(ID, "/results"), { title: "Tour film", version }),
    expected: [401, 201, 404, 409, 404, 201],
  },
  {
    route: "PUT /api/projects/:id/results/:resultId",
    send: ({ client, version }) =>
      client.request("PUT", projectPath(ID, `/results/${SEEDED_RESULT}`), {
        title: "Festival programme 2026",
        version,
      }),
    expected: [401, 200, 404, 409, 404, 200],
  },
  {
    route: "DELETE /api/projects/:id/results/:resultId",
    send: ({ client, version }) =>
      remove(client, projectPath(ID, `/results/${SEEDED_RESULT}`), { version }),
    expected: [401, 200, 404, 409, 404, 200],
  },
  {
    route: "PUT /api/projects/:id/logo",
    send: async ({ client, version }) =>
      upload(client, projectPath(ID, "/logo"), await samples.image("png"), {
        fileName: "logo.png",
        version,
      }),
    expected: [401, 200, 404, 409, 404, 200],
  },
  {
    route: "PUT /api/projects/:id/results/:resultId/attachment",
    send: ({ client, version }) =>
      upload(client, attachment, samples.minimalPdf(), { fileName: "programme.pdf", version }),
    expected: [401, 200, 404, 409, 404, 200],
  },
  {
    route: "GET /api/projects/:id/results/:resultId/attachment",
    setup: attachPdf,
    send: ({ client }) => client.get(attachment),
    expected: [401, 200, 404, 200, 404, 200],
  },
  {
    route: "GET /api/review/queue",
    state: "submitted",
    send: ({ client }) => client.get("/api/review/queue"),
    expected: [401, 403, 403, 200, 200, 200],
  },
  {
    route: "GET /api/review/:id",
    state: "submitted",
    send: ({ client }) => client.get(review),
    expected: [401, 403, 403, 200, 404, 200],
  },
  {
    route: "POST /api/review/:id/decision",
    state: "submitted",
    send: ({ client, version }) =>
      client.post(`${review}/decision`, { decision: "return", comment: "Add dates.", version }),
    expected: [401, 403, 403, 200, 404, 403],
  },
  {
    route: "POST /api/projects/:id/reopen",
    state: "approved",
    send: ({ client, version }) => client.post(projectPath(ID, "/reopen"), { version }),
    expected: [401, 403, 404, 403, 404, 200],
  },
  {
    route: "GET /api/grants",
    send: ({ client }) => client.get(`/api/grants?projectId=${encodeURIComponent(ID)}`),
    expected: [401, 403, 403, 403, 403, 200],
  },
  {
    route: "POST /api/grants",
    send: ({ client }) => client.post("/api/grants", grantee),
    expected: [401, 403, 403, 403, 403, 201],
  },
  {
    route: "DELETE /api/grants",
    setup: grantAccess,
    send: ({ client }) => remove(client, "/api/grants", grantee),
    expected: [401, 403, 403, 403, 403, 204],
  },
  {
    route: "POST /api/projects/sync",
    send: ({ client }) => client.post("/api/projects/sync"),
    expected: [401, 403, 403, 403, 403, 200],
  },
];

/** Builds the card: ended, not locked, with one result that becomes a draft when edited. */
function cardIn(state: ReviewState): CardInput {
  return {
    ...DANCE_CARD,
    endDate: "2026-06-30",
    editorial: {
      results: [
        { id: SEEDED_RESULT, title: "Festival programme", published: state === "approved" },
      ],
      contacts: [],
      review: { state },
    },
  };
}

/** Starts a fresh editor with both cards, the contacts feed and one account per caller. */
async function startRow(row: Row): Promise<{ test: EditorialTest; staffId: number }> {
  const test = await startEditorialTest();
  await test.addCard(cardIn(row.state ?? "open"));
  await test.addCard(OTHER_CARD);
  await test.importContactsFeed([
    [ID, "anna@ngo.example"],
    [OTHER_CARD.id, "otto@school.example"],
  ]);
  await test.createAccount({ username: "Anna", email: "anna@ngo.example" });
  await test.createAccount({ username: "Otto", email: "otto@school.example" });
  await test.createAccount({ username: "Olga", role: "officer", agency: "EACEA" });
  const staffId = await test.createAccount({ username: "Dirk", role: "officer", agency: "DE02" });
  await test.createAccount({ username: "Helen", role: "helpdesk" });
  await test.createAccount({ username: "Grantee", email: "grantee@ngo.example" });
  await row.setup?.(test);
  return { test, staffId };
}

function currentVersion(test: EditorialTest): number {
  const row = test.db.prepare("SELECT version FROM project_workflow WHERE project_id = ?").get(ID);
  return Number(row?.version);
}

function isWrite(route: string): boolean {
  return !route.startsWith("GET ");
}

/** Routes of the composed app and the statuses its OpenAPI document lists per operation. */
interface AppRoutes {
  /** "METHOD /path" of every route, leaving out the `/api/*` middleware. */
  routes: string[];
  /** Documented response statuses by "METHOD /path", with Hono's `:name` parameters. */
  documented: Map<string, string[]>;
}

async function readAppRoutes(): Promise<AppRoutes> {
  const test = await startEditorialTest();
  try {
    const app = createEditorialApp(test.deps, test.services);
    const routes = app.routes
      .filter((route) => route.method !== "ALL")
      .map((route) => `${route.method} ${route.path}`);
    const response = await app.request("/api/openapi.json");
    const document = (await response.json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const documented = new Map<string, string[]>();
    for (const [openApiPath, operations] of Object.entries(document.paths)) {
      const honoPath = openApiPath.replace(/\{(\w+)\}/g, ":$1");
      for (const [method, operation] of Object.entries(operations)) {
        documented.set(`${method.toUpperCase()} ${honoPath}`, Object.keys(operation.responses));
      }
    }
    return { routes: [...new Set(routes)].sort(), documented };
  } finally {
    await test.close();
  }
}

/**
 * Runs one row. Rejected callers go first and share one editor, because they must leave no trace,
 * which is checked after each write. An allowed write changes the state, so the next allowed
 * caller gets a fresh editor.
 */
async function runRow(row: Row): Promise<{ outcomes: string[]; expectations: string[] }> {
  const outcomes: string[] = [];
  const expectations: string[] = [];
  const order = CALLERS.map((caller, index) => ({ caller, expected: row.expected[index] }));
  order.sort((left, right) => Number(left.expected < 400) - Number(right.expected < 400));
  let editor: Awaited<ReturnType<typeof startRow>> | undefined;
  try {
    for (const { caller, expected } of order) {
      editor ??= await startRow(row);
      const { test, staffId } = editor;
      const username = USERNAMES[caller];
      const client = username ? await signInAs(test, username) : test.client();
      const before = isWrite(row.route) ? await snapshotEditorialState(test) : undefined;
      const response = await row.send({ client, test, staffId, version: currentVersion(test) });
      await response.body?.cancel();
      const label = `${row.route} as ${caller}`;
      outcomes.push(`${label}: ${response.status}`);
      expectations.push(`${label}: ${expected}`);
      if (before && response.status >= 400) {
        outcomes.push(`${label}: ${before.differenceFrom(await snapshotEditorialState(test))}`);
        expectations.push(`${label}: no change`);
      }
      if (isWrite(row.route) && response.status < 400) {
        await test.close();
        editor = undefined;
      }
    }
  } finally {
    await editor?.test.close();
  }
  return { outcomes, expectations };
}

describe("authorization matrix", () => {
  it("lists every route of the app", async () => {
    const listed = ROWS.map((row) => row.route).sort();
    expect(listed).toEqual([...new Set(listed)]);
    expect(listed).toEqual((await readAppRoutes()).routes);
  });

  it("expects only documented statuses", async () => {
    const { documented } = await readAppRoutes();
    const undocumented: string[] = [];
    for (const row of ROWS) {
      const statuses = documented.get(row.route);
      if (!statuses) {
        undocumented.push(`${row.route}: missing from /api/openapi.json`);
        continue;
      }
      for (const status of new Set(row.expected)) {
        if (!statuses.includes(String(status))) undocumented.push(`${row.route}: ${status}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it("snapshot shows an allowed write", async () => {
    const row = ROWS.find((candidate) => candidate.route === "PUT /api/projects/:id/website");
    if (!row) throw new Error("website row missing");
    const { test, staffId } = await startRow(row);
    try {
      const client = await signInAs(test, "Anna");
      const before = await snapshotEditorialState(test);
      const response = await row.send({ client, test, staffId, version: currentVersion(test) });
      expect(response.status).toBe(200);
      const difference = before.differenceFrom(await snapshotEditorialState(test));
      expect(difference).toContain("files changed: content/projects/culture-2007-2013/");
      expect(difference).toContain("tables changed: audit_log, project_changes");
    } finally {
      await test.close();
    }
  });

  it.each(ROWS)("$route", { timeout: 60_000 }, async (row) => {
    const { outcomes, expectations } = await runRow(row);
    expect(outcomes).toEqual(expectations);
  });
});
