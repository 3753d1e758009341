import { describe, expect, it } from "vitest";
import {
  type Account,
  type Action,
  canView,
  decide,
  isOnBeneficiaryDashboard,
  type LifecycleCard,
  type ProjectAccess,
  type ReviewState,
  type Role,
} from "./lifecycle.ts";

const END_DATE = "2024-06-30";
const DATES = {
  beforeEnd: new Date("2024-06-29T23:59:00Z"),
  onEnd: new Date("2024-06-30T08:00:00Z"),
  lastOpenDay: new Date("2026-06-30T20:00:00Z"),
  locked: new Date("2026-07-01T00:00:00Z"),
} as const;

const ACCOUNTS: Record<Role, Account> = {
  beneficiary: { id: "ben-1", role: "beneficiary", email: "Anna@Example.org", emailVerified: true },
  officer: { id: "off-1", role: "officer", agency: "EACEA" },
  helpdesk: { id: "help-1", role: "helpdesk" },
};
const ACCESS: ProjectAccess = { contactEmails: ["anna@example.org"], grantedAccountIds: [] };

function card(state: ReviewState, overrides: Partial<LifecycleCard> = {}): LifecycleCard {
  return {
    id: "2013-1234/001-001",
    agency: "EACEA",
    endDate: END_DATE,
    resultIds: ["r1", "r2"],
    workflow: { state, editors: [] },
    ...overrides,
  };
}

const ACTIONS: Record<Action["type"], Action> = {
  edit: { type: "edit" },
  submit: { type: "submit" },
  return: { type: "return", comment: "Add the final brochure." },
  approve: { type: "approve", publishedResultIds: ["r1"] },
  reopen: { type: "reopen" },
};

// Expected outcome before dates apply: "ok", or the code for the (action, role, state).
// Columns: open, submitted, returned, approved.
const MATRIX: Record<Action["type"], Record<Role, [string, string, string, string]>> = {
  edit: {
    beneficiary: ["ok", "INVALID_STATE", "ok", "INVALID_STATE"],
    officer: ["INVALID_STATE", "ok", "INVALID_STATE", "INVALID_STATE"],
    helpdesk: ["ok", "ok", "ok", "INVALID_STATE"],
  },
  submit: {
    beneficiary: ["ok", "INVALID_STATE", "ok", "INVALID_STATE"],
    officer: [
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
    ],
    helpdesk: [
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
    ],
  },
  return: {
    beneficiary: [
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
    ],
    officer: ["INVALID_STATE", "ok", "INVALID_STATE", "INVALID_STATE"],
    helpdesk: [
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
    ],
  },
  approve: {
    beneficiary: [
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
    ],
    officer: ["INVALID_STATE", "ok", "INVALID_STATE", "INVALID_STATE"],
    helpdesk: [
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
    ],
  },
  reopen: {
    beneficiary: [
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
    ],
    officer: [
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
      "ACTION_NOT_ALLOWED",
    ],
    // An open card can be reopened only once it is locked.
    helpdesk: ["ok-if-locked", "ok", "ok", "ok"],
  },
};

const NEXT_STATE: Record<Action["type"], ReviewState | "same"> = {
  edit: "same",
  submit: "submitted",
  return: "returned",
  approve: "approved",
  reopen: "open",
};

const STATES: ReviewState[] = ["open", "submitted", "returned", "approved"];

/** Applies the date rules to an allowed action: submission opens on the end date, lock after two years. */
function expectedCode(action: Action["type"], base: string, date: keyof typeof DATES): string {
  if (base === "ok-if-locked") return date === "locked" ? "ok" : "INVALID_STATE";
  if (base !== "ok") return base;
  if (date === "locked" && action !== "reopen") return "PROJECT_LOCKED";
  if (date === "beforeEnd" && action === "submit") return "SUBMISSION_NOT_OPEN";
  return "ok";
}

const cases = (Object.keys(MATRIX) as Action["type"][]).flatMap((action) =>
  (Object.keys(ACCOUNTS) as Role[]).flatMap((role) =>
    STATES.flatMap((state, column) =>
      (Object.keys(DATES) as (keyof typeof DATES)[]).map((date) => ({
        action,
        role,
        state,
        date,
        expected: expectedCode(action, MATRIX[action][role][column], date),
      })),
    ),
  ),
);

describe("decide", () => {
  it.each(cases)("$action by $role on $state card, $date: $expected", (c) => {
    const decision = decide({
      card: card(c.state),
      account: ACCOUNTS[c.role],
      access: ACCESS,
      action: ACTIONS[c.action],
      now: DATES[c.date],
    });
    if (c.expected === "ok") {
      expect(decision.ok).toBe(true);
      if (!decision.ok) return;
      const next = NEXT_STATE[c.action];
      expect(decision.next.state).toBe(next === "same" ? c.state : next);
    } else {
      expect(decision.ok).toBe(false);
      if (decision.ok) return;
      expect(decision.code).toBe(c.expected);
    }
  });

  it("submit early names the opening date", () => {
    const decision = decide({
      card: card("open"),
      account: ACCOUNTS.beneficiary,
      access: ACCESS,
      action: ACTIONS.submit,
      now: DATES.beforeEnd,
    });
    expect(decision).toMatchObject({
      ok: false,
      code: "SUBMISSION_NOT_OPEN",
      details: { opensOn: END_DATE },
    });
  });

  it("submit without end date needs completed status", () => {
    const input = {
      account: ACCOUNTS.beneficiary,
      access: ACCESS,
      action: ACTIONS.submit,
      now: DATES.onEnd,
    };
    const ongoing = decide({ ...input, card: card("open", { endDate: undefined }) });
    expect(ongoing).toMatchObject({ ok: false, code: "SUBMISSION_NOT_OPEN" });
    const completed = decide({
      ...input,
      card: card("open", { endDate: undefined, status: "completed" }),
    });
    expect(completed.ok).toBe(true);
  });

  it("return requires a comment", () => {
    for (const comment of ["", "   \n"]) {
      const decision = decide({
        card: card("submitted"),
        account: ACCOUNTS.officer,
        access: ACCESS,
        action: { type: "return", comment },
        now: DATES.onEnd,
      });
      expect(decision).toMatchObject({ ok: false, code: "COMMENT_REQUIRED" });
    }
  });

  it("return keeps the trimmed comment", () => {
    const decision = decide({
      card: card("submitted"),
      account: ACCOUNTS.officer,
      access: ACCESS,
      action: { type: "return", comment: "  Add the brochure. " },
      now: DATES.onEnd,
    });
    expect(decision).toMatchObject({ ok: true, next: { comment: "Add the brochure." } });
  });

  it("edit records the editor once", () => {
    const first = decide({
      card: card("submitted"),
      account: ACCOUNTS.officer,
      access: ACCESS,
      action: ACTIONS.edit,
      now: DATES.onEnd,
    });
    expect(first).toMatchObject({ ok: true, next: { editors: ["off-1"] } });
    const second = decide({
      card: card("submitted", { workflow: { state: "submitted", editors: ["off-1"] } }),
      account: ACCOUNTS.officer,
      access: ACCESS,
      action: ACTIONS.edit,
      now: DATES.onEnd,
    });
    expect(second).toMatchObject({ ok: true, next: { editors: ["off-1"] } });
  });

  it("approve rejected for an editor of the submission", () => {
    const decision = decide({
      card: card("submitted", { workflow: { state: "submitted", editors: ["ben-1", "off-1"] } }),
      account: ACCOUNTS.officer,
      access: ACCESS,
      action: ACTIONS.approve,
      now: DATES.onEnd,
    });
    expect(decision).toMatchObject({ ok: false, code: "EDITOR_CANNOT_APPROVE" });
  });

  it("approve records published results and labels", () => {
    const decision = decide({
      card: card("submitted", { workflow: { state: "submitted", editors: ["ben-1"] } }),
      account: ACCOUNTS.officer,
      access: ACCESS,
      action: { type: "approve", publishedResultIds: ["r2", "r2"], labels: { successStory: true } },
      now: DATES.onEnd,
    });
    expect(decision.ok).toBe(true);
    if (!decision.ok) return;
    expect(decision.next.publishedResultIds).toEqual(["r2"]);
    expect(decision.next.labels).toEqual({ goodPractice: true, successStory: true });
    expect(decision.next.editors).toEqual([]);
  });

  it("approve rejects unknown results", () => {
    const decision = decide({
      card: card("submitted"),
      account: ACCOUNTS.officer,
      access: ACCESS,
      action: { type: "approve", publishedResultIds: ["r1", "r9"] },
      now: DATES.onEnd,
    });
    expect(decision).toMatchObject({
      ok: false,
      code: "RESULT_NOT_FOUND",
      details: { resultIds: ["r9"] },
    });
  });

  it("officer of another agency is not authorised", () => {
    const decision = decide({
      card: card("submitted", { agency: "DE02" }),
      account: ACCOUNTS.officer,
      access: ACCESS,
      action: ACTIONS.approve,
      now: DATES.onEnd,
    });
    expect(decision).toMatchObject({ ok: false, code: "NOT_AUTHORISED" });
  });

  it("locked card gets a window after reopen", () => {
    const reopened = decide({
      card: card("approved"),
      account: ACCOUNTS.helpdesk,
      access: ACCESS,
      action: ACTIONS.reopen,
      now: DATES.locked,
    });
    expect(reopened).toMatchObject({
      ok: true,
      next: { state: "open", unlockedUntil: "2026-09-29" },
    });
    if (!reopened.ok) return;
    const input = { account: ACCOUNTS.beneficiary, access: ACCESS, action: ACTIONS.edit };
    const within = decide({
      ...input,
      card: card("open", { workflow: reopened.next }),
      now: new Date("2026-09-29T12:00:00Z"),
    });
    expect(within.ok).toBe(true);
    const after = decide({
      ...input,
      card: card("open", { workflow: reopened.next }),
      now: new Date("2026-09-30T00:00:00Z"),
    });
    expect(after).toMatchObject({ ok: false, code: "PROJECT_LOCKED" });
  });

  it.each(["open", "returned"] as const)("locked %s card reopens with a window", (state) => {
    const reopened = decide({
      card: card(state),
      account: ACCOUNTS.helpdesk,
      access: ACCESS,
      action: ACTIONS.reopen,
      now: DATES.locked,
    });
    expect(reopened).toMatchObject({
      ok: true,
      next: { state: "open", unlockedUntil: "2026-09-29" },
    });
  });

  it("submit clears the previous return comment", () => {
    const decision = decide({
      card: card("returned", { workflow: { state: "returned", editors: [], comment: "Fix it" } }),
      account: ACCOUNTS.beneficiary,
      access: ACCESS,
      action: ACTIONS.submit,
      now: DATES.onEnd,
    });
    expect(decision.ok).toBe(true);
    if (!decision.ok) return;
    expect(decision.next.comment).toBeUndefined();
  });
});

describe("canView", () => {
  const ref = { id: "p1", agency: "EACEA" };
  const cases: [string, Account, ProjectAccess, boolean][] = [
    ["helpdesk sees all", ACCOUNTS.helpdesk, { contactEmails: [], grantedAccountIds: [] }, true],
    ["officer of the agency", ACCOUNTS.officer, ACCESS, true],
    ["officer of another agency", { ...ACCOUNTS.officer, agency: "DE02" }, ACCESS, false],
    ["officer without agency", { id: "o2", role: "officer" }, ACCESS, false],
    ["beneficiary listed contact", ACCOUNTS.beneficiary, ACCESS, true],
    [
      "beneficiary unverified e-mail",
      { ...ACCOUNTS.beneficiary, emailVerified: false },
      ACCESS,
      false,
    ],
    [
      "beneficiary other e-mail",
      { ...ACCOUNTS.beneficiary, email: "bob@example.org" },
      ACCESS,
      false,
    ],
    [
      "beneficiary granted by helpdesk",
      { id: "ben-2", role: "beneficiary" },
      { contactEmails: [], grantedAccountIds: ["ben-1", "ben-2"] },
      true,
    ],
  ];
  it.each(cases)("%s", (_name, account, access, expected) => {
    expect(canView(account, ref, access)).toBe(expected);
  });
});

describe("isOnBeneficiaryDashboard", () => {
  it("lists open and returned cards only", () => {
    expect(STATES.filter(isOnBeneficiaryDashboard)).toEqual(["open", "returned"]);
  });
});
