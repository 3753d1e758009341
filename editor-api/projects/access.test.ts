import { describe, expect, it } from "vitest";
import type { CardInput } from "../../pipeline/card/index.ts";
import type { TestClient } from "../testing/test-editor.ts";
import * as samples from "../uploads/test-samples.ts";
import { DANCE_CARD, OTHER_CARD, projectPath, remove } from "./fixtures.ts";
import { type EditorialTest, startEditorialTest, upload } from "./test-editorial.ts";

const ID = DANCE_CARD.id;
const SEEDED_RESULT = "r-seeded";
const ROLES = [
  "anonymous",
  "beneficiary of this project",
  "beneficiary of another project",
  "officer of this agency",
  "officer of another agency",
  "helpdesk",
] as const;
type Caller = (typeof ROLES)[number];

/** Builds the card of every case: ended, not locked, with one result that becomes a draft. */
function cardIn(state: "open" | "submitted" | "approved"): CardInput {
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

interface Endpoint {
  name: string;
  state?: "open" | "submitted" | "approved";
  /** Runs before the request, as helpdesk. */
  setup?: (test: EditorialTest) => Promise<void>;
  send: (client: TestClient, version: number) => Promise<Response>;
  /** Expected status per caller, in the order of ROLES. */
  expected: [number, number, number, number, number, number];
}

const review = `/api/review/${encodeURIComponent(ID)}`;
const grantee = { projectId: ID, email: "grantee@ngo.example" };

const ENDPOINTS: Endpoint[] = [
  {
    name: "GET /api/projects",
    send: (client) => client.get("/api/projects"),
    expected: [401, 200, 200, 200, 200, 200],
  },
  {
    name: "GET /api/projects/:id",
    send: (client) => client.get(projectPath(ID)),
    expected: [401, 200, 404, 200, 404, 200],
  },
  {
    name: "PUT website",
    send: (client, version) =>
      client.request("PUT", projectPath(ID, "/website"), { website: "dance.example", version }),
    expected: [401, 200, 404, 409, 404, 200],
  },
  {
    name: "PUT logo",
    send: async (client, version) =>
      upload(client, projectPath(ID, "/logo"), await samples.image("png"), {
        fileName: "logo.png",
        version,
      }),
    expected: [401, 200, 404, 409, 404, 200],
  },
  {
    name: "PUT contacts",
    send: (client, version) =>
      client.request("PUT", projectPath(ID, "/contacts"), {
        contacts: [{ organisation: "coordinator", name: "Anna Peeters", public: true }],
        version,
      }),
    expected: [401, 200, 404, 409, 404, 200],
  },
  {
    name: "POST results",
    send: (client, version) =>
      client.post(projectPath(ID, "/results"), { title: "Tour film", version }),
    expected: [401, 201, 404, 409, 404, 201],
  },
  {
    name: "PUT results/:resultId",
    send: (client, version) =>
      client.request("PUT", projectPath(ID, `/results/${SEEDED_RESULT}`), {
        title: "Festival programme 2026",
        version,
      }),
    expected: [401, 200, 404, 409, 404, 200],
  },
  {
    name: "DELETE results/:resultId",
    send: (client, version) =>
      remove(client, projectPath(ID, `/results/${SEEDED_RESULT}`), { version }),
    expected: [401, 200, 404, 409, 404, 200],
  },
  {
    name: "PUT results/:resultId/attachment",
    send: (client, version) =>
      upload(
        client,
        projectPath(ID, `/results/${SEEDED_RESULT}/attachment`),
        samples.minimalPdf(),
        {
          fileName: "programme.pdf",
          version,
        },
      ),
    expected: [401, 200, 404, 409, 404, 200],
  },
  {
    name: "POST submit",
    send: (client, version) => client.post(projectPath(ID, "/submit"), { version }),
    expected: [401, 200, 404, 403, 404, 403],
  },
  {
    name: "GET /api/review/queue",
    state: "submitted",
    send: (client) => client.get("/api/review/queue"),
    expected: [401, 403, 403, 200, 200, 200],
  },
  {
    name: "GET /api/review/:id",
    state: "submitted",
    send: (client) => client.get(review),
    expected: [401, 403, 403, 200, 404, 200],
  },
  {
    name: "POST /api/review/:id/decision",
    state: "submitted",
    send: (client, version) =>
      client.post(`${review}/decision`, { decision: "return", comment: "Add dates.", version }),
    expected: [401, 403, 403, 200, 404, 403],
  },
  {
    name: "POST reopen",
    state: "approved",
    send: (client, version) => client.post(projectPath(ID, "/reopen"), { version }),
    expected: [401, 403, 404, 403, 404, 200],
  },
  {
    name: "GET /api/grants",
    send: (client) => client.get(`/api/grants?projectId=${encodeURIComponent(ID)}`),
    expected: [401, 403, 403, 403, 403, 200],
  },
  {
    name: "POST /api/grants",
    send: (client) => client.post("/api/grants", grantee),
    expected: [401, 403, 403, 403, 403, 201],
  },
  {
    name: "DELETE /api/grants",
    setup: async (test) => {
      const helen = test.client();
      await helen.signIn("Helen");
      const response = await helen.post("/api/grants", grantee);
      if (response.status !== 201) throw new Error(`grant setup failed: ${response.status}`);
    },
    send: (client) => remove(client, "/api/grants", grantee),
    expected: [401, 403, 403, 403, 403, 204],
  },
];

/** A fresh editor with both cards, the feed and one account per caller; returns its client. */
async function callerIn(endpoint: Endpoint, caller: Caller) {
  const test = await startEditorialTest();
  await test.addCard(cardIn(endpoint.state ?? "open"));
  await test.addCard(OTHER_CARD);
  await test.importContactsFeed([
    [ID, "anna@ngo.example"],
    [OTHER_CARD.id, "otto@school.example"],
  ]);
  await test.createAccount({ username: "Anna", email: "anna@ngo.example" });
  await test.createAccount({ username: "Otto", email: "otto@school.example" });
  await test.createAccount({ username: "Olga", role: "officer", agency: "EACEA" });
  await test.createAccount({ username: "Dirk", role: "officer", agency: "DE02" });
  await test.createAccount({ username: "Helen", role: "helpdesk" });
  await test.createAccount({ username: "Grantee", email: "grantee@ngo.example" });
  await endpoint.setup?.(test);
  const usernames: Record<Caller, string | undefined> = {
    anonymous: undefined,
    "beneficiary of this project": "Anna",
    "beneficiary of another project": "Otto",
    "officer of this agency": "Olga",
    "officer of another agency": "Dirk",
    helpdesk: "Helen",
  };
  const client = test.client();
  const username = usernames[caller];
  if (username) await client.signIn(username);
  return { test, client };
}

function currentVersion(test: EditorialTest): number {
  const row = test.db.prepare("SELECT version FROM project_workflow WHERE project_id = ?").get(ID);
  return Number(row?.version);
}

describe("editorial access", () => {
  it("answers every caller on every endpoint", { timeout: 240_000 }, async () => {
    const outcomes: string[] = [];
    const expectations: string[] = [];
    for (const endpoint of ENDPOINTS) {
      for (const [index, caller] of ROLES.entries()) {
        const { test, client } = await callerIn(endpoint, caller);
        try {
          const response = await endpoint.send(client, currentVersion(test));
          outcomes.push(`${endpoint.name} as ${caller}: ${response.status}`);
          expectations.push(`${endpoint.name} as ${caller}: ${endpoint.expected[index]}`);
        } finally {
          await test.close();
        }
      }
    }
    expect(outcomes).toEqual(expectations);
  });
});
