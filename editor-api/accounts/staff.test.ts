import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { linkToken } from "../testing/smtp-inbox.ts";
import { startTestEditor, type TestClient, type TestEditor } from "../testing/test-editor.ts";

const OFFICER = {
  username: "OfficerDE",
  firstName: "Jonas",
  lastName: "Weber",
  email: "jonas@na.example",
  role: "officer",
  agency: "DE02",
};

let editor: TestEditor;
let helpdesk: TestClient;
beforeEach(async () => {
  editor = await startTestEditor();
  await editor.createAccount({ username: "Help", email: "help@eacea.example", role: "helpdesk" });
  helpdesk = editor.client();
  await helpdesk.signIn("Help");
});
afterEach(async () => {
  await editor.close();
});

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe("staff accounts", () => {
  it("helpdesk creates an officer who sets a password by link", async () => {
    const created = await helpdesk.post("/api/staff/accounts", OFFICER);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ role: "officer", agency: "DE02" });

    const token = linkToken(editor.inbox.latest("jonas@na.example", "Your account"));
    const officer = editor.client();
    const set = await officer.post("/api/auth/set-password", {
      token,
      password: "granite meadow 51 beacon",
    });
    expect(set.status).toBe(204);
    expect((await officer.signIn("officerde", "granite meadow 51 beacon")).status).toBe(200);
    const session = (await (await officer.get("/api/session")).json()) as {
      account: { role: string; agency: string };
    };
    expect(session.account).toMatchObject({ role: "officer", agency: "DE02" });
  });

  it("a beneficiary gets 403", async () => {
    await editor.createAccount({ username: "Bene" });
    const beneficiary = editor.client();
    await beneficiary.signIn("Bene");
    const response = await beneficiary.post("/api/staff/accounts", OFFICER);
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("FORBIDDEN");
  });

  it("an anonymous caller gets 401", async () => {
    const response = await editor.client().post("/api/staff/accounts", OFFICER);
    expect(response.status).toBe(401);
  });

  it("an officer needs an agency code", async () => {
    const cases: [Record<string, unknown>, number][] = [
      [{ ...OFFICER, agency: undefined }, 400],
      [{ ...OFFICER, agency: "Germany" }, 400],
      [{ ...OFFICER, agency: "EACEA" }, 201],
      [
        {
          ...OFFICER,
          username: "Help2",
          email: "h2@eacea.example",
          role: "helpdesk",
          agency: "DE02",
        },
        400,
      ],
    ];
    for (const [body, status] of cases) {
      const response = await helpdesk.post("/api/staff/accounts", body);
      expect(response.status, JSON.stringify(body)).toBe(status);
    }
  });

  it("a taken username is a conflict", async () => {
    const response = await helpdesk.post("/api/staff/accounts", { ...OFFICER, username: "HELP" });
    expect(response.status).toBe(409);
    expect(await errorCode(response)).toBe("CONFLICT");
  });

  it("helpdesk sets heightened security and ends the account's sessions", async () => {
    const beneId = await editor.createAccount({ username: "Bene" });
    const beneficiary = editor.client();
    await beneficiary.signIn("Bene");
    const response = await helpdesk.patch(`/api/staff/accounts/${beneId}`, {
      heightenedSecurity: true,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ heightenedSecurity: true });
    expect((await beneficiary.get("/api/session")).status).toBe(401);
  });

  it("helpdesk lists officers of one agency", async () => {
    await helpdesk.post("/api/staff/accounts", OFFICER);
    await helpdesk.post("/api/staff/accounts", {
      ...OFFICER,
      username: "OfficerEA",
      email: "ea@eacea.example",
      agency: "EACEA",
    });
    const response = await helpdesk.get("/api/staff/accounts?role=officer&agency=DE02");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { accounts: { username: string }[] };
    expect(body.accounts.map((account) => account.username)).toEqual(["OfficerDE"]);
    const all = (await (await helpdesk.get("/api/staff/accounts")).json()) as {
      accounts: unknown[];
    };
    expect(all.accounts).toHaveLength(3);
  });

  it("rejects an unknown role filter", async () => {
    const response = await helpdesk.get("/api/staff/accounts?role=admin");
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("INVALID_INPUT");
  });

  it("an unknown account id is 404", async () => {
    const response = await helpdesk.patch("/api/staff/accounts/999", {
      passwordLoginDisabled: true,
    });
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe("NOT_FOUND");
  });
});
