/**
 * The life cycle of a project card on the editorial side, as one pure decision function.
 *
 * States: `open` (imported, the beneficiary may enrich it), `submitted` (under review, nothing
 * editable by the beneficiary), `returned` (back to the beneficiary with the officer's comment),
 * `approved` (final report approved, the chosen results published, the card closed).
 * Dates are compared as UTC calendar days taken from the `now` the caller reads from its clock.
 */
import { type Account, canView, type ProjectAccess } from "./access.ts";

export type { Account, ProjectAccess, Role } from "./access.ts";
export { canView, isProjectMember } from "./access.ts";

export type ReviewState = "open" | "submitted" | "returned" | "approved";

/** The labels an officer can give an approved card. */
export interface Labels {
  goodPractice: boolean;
  successStory: boolean;
}

/** The editorial record of one card that the rules read and the decisions replace. */
export interface Workflow {
  state: ReviewState;
  /** Accounts that edited the card since the current submission cycle began (open or reopen). */
  editors: readonly string[];
  /** The officer's comment of the last return. */
  comment?: string;
  /** Results chosen for publication by the last approval. */
  publishedResultIds?: readonly string[];
  labels?: Labels;
  /** Last day (`YYYY-MM-DD`) of the window that a helpdesk reopening opened past the lock. */
  unlockedUntil?: string;
}

/** The card as the rules need it: contractual facts plus its workflow record. */
export interface LifecycleCard {
  id: string;
  agency: string;
  /** Last day of the project, `YYYY-MM-DD`, when the export gives one. */
  endDate?: string;
  /** `completed` lets a card without an end date be submitted. */
  status?: "ongoing" | "completed";
  resultIds: readonly string[];
  workflow: Workflow;
}

export type Action =
  | { type: "edit" }
  | { type: "submit" }
  | { type: "return"; comment: string }
  | { type: "approve"; publishedResultIds: readonly string[]; labels?: Partial<Labels> }
  | { type: "reopen" };

export type DecisionCode =
  | "NOT_AUTHORISED"
  | "ACTION_NOT_ALLOWED"
  | "INVALID_STATE"
  | "SUBMISSION_NOT_OPEN"
  | "PROJECT_LOCKED"
  | "COMMENT_REQUIRED"
  | "EDITOR_CANNOT_APPROVE"
  | "RESULT_NOT_FOUND";

export type Decision =
  | { ok: true; next: Workflow }
  | { ok: false; code: DecisionCode; message: string; details: Record<string, unknown> };

export interface DecideInput {
  card: LifecycleCard;
  account: Account;
  access: ProjectAccess;
  action: Action;
  /** Current time, from the caller's injected clock. */
  now: Date;
}

/** Years after the end date during which a card can still change. */
export const LOCK_AFTER_YEARS = 2;
/** Days that a helpdesk reopening keeps a locked card open for changes. */
export const REOPEN_WINDOW_DAYS = 90;

/** Roles allowed to take each action, with the states each role may take it from. */
const RULES: Record<Action["type"], Partial<Record<Account["role"], readonly ReviewState[]>>> = {
  edit: {
    beneficiary: ["open", "returned"],
    officer: ["submitted"],
    helpdesk: ["open", "returned", "submitted"],
  },
  submit: { beneficiary: ["open", "returned"] },
  return: { officer: ["submitted"] },
  approve: { officer: ["submitted"] },
  // Reopening an `open` card only makes sense once it is locked; decide() checks that.
  reopen: { helpdesk: ["open", "submitted", "returned", "approved"] },
};

/** Decides whether `account` may take `action` on the card now, and returns the next record. */
export function decide(input: DecideInput): Decision {
  const { card, account, action, now } = input;
  const today = isoDay(now);

  if (!canView(account, card, input.access)) {
    return reject("NOT_AUTHORISED", `account ${account.id} has no access to project ${card.id}`, {
      accountId: account.id,
      projectId: card.id,
    });
  }

  const states = RULES[action.type][account.role];
  if (!states) {
    return reject("ACTION_NOT_ALLOWED", `the ${account.role} role cannot ${action.type} a card`, {
      action: action.type,
      role: account.role,
    });
  }
  if (!states.includes(card.workflow.state)) {
    return reject(
      "INVALID_STATE",
      `cannot ${action.type} project ${card.id} while it is ${card.workflow.state}; ` +
        `allowed from: ${states.join(", ")}`,
      { action: action.type, state: card.workflow.state, allowedStates: states },
    );
  }

  if (action.type === "reopen" && card.workflow.state === "open" && !isLocked(card, today)) {
    return reject(
      "INVALID_STATE",
      `project ${card.id} is open and not locked, so there is nothing to reopen; ` +
        "reopen an open card only after its lock date",
      { action: action.type, state: "open", allowedStates: ["submitted", "returned", "approved"] },
    );
  }

  const lockedOn = lockDate(card);
  if (action.type !== "reopen" && lockedOn !== undefined && isLocked(card, today)) {
    return reject(
      "PROJECT_LOCKED",
      `project ${card.id} ended on ${card.endDate} and is locked since ${lockedOn}; ` +
        "ask helpdesk to reopen it",
      { endDate: card.endDate, lockedOn },
    );
  }

  return apply(card, account, action, today);
}

function apply(card: LifecycleCard, account: Account, action: Action, today: string): Decision {
  const workflow = card.workflow;
  switch (action.type) {
    case "edit": {
      const editors = workflow.editors.includes(account.id)
        ? workflow.editors
        : [...workflow.editors, account.id];
      return { ok: true, next: { ...workflow, editors } };
    }

    case "submit": {
      const opensOn = submissionOpensOn(card);
      if (opensOn === undefined && card.status !== "completed") {
        return reject(
          "SUBMISSION_NOT_OPEN",
          `project ${card.id} has no end date and is not completed; ask helpdesk to check its dates`,
          { opensOn: null },
        );
      }
      if (opensOn !== undefined && today < opensOn) {
        return reject(
          "SUBMISSION_NOT_OPEN",
          `the final report of project ${card.id} can be submitted from ${opensOn}, its end date`,
          { opensOn },
        );
      }
      return { ok: true, next: { ...withoutComment(workflow), state: "submitted" } };
    }

    case "return": {
      const comment = action.comment.trim();
      if (comment === "") {
        return reject("COMMENT_REQUIRED", "a return needs a comment that tells what to change", {
          field: "comment",
        });
      }
      return { ok: true, next: { ...workflow, state: "returned", comment } };
    }

    case "approve": {
      if (workflow.editors.includes(account.id)) {
        return reject(
          "EDITOR_CANNOT_APPROVE",
          `account ${account.id} edited this submission of project ${card.id}; ` +
            "another officer of the agency must approve it",
          { accountId: account.id },
        );
      }
      const unknown = action.publishedResultIds.filter((id) => !card.resultIds.includes(id));
      if (unknown.length > 0) {
        return reject(
          "RESULT_NOT_FOUND",
          `project ${card.id} has no result ${unknown.join(", ")}; choose among its results`,
          { resultIds: unknown },
        );
      }
      const successStory = action.labels?.successStory === true;
      // A success story is always also a good practice.
      const labels = {
        goodPractice: successStory || action.labels?.goodPractice === true,
        successStory,
      };
      return {
        ok: true,
        next: {
          ...withoutComment(workflow),
          state: "approved",
          editors: [],
          publishedResultIds: [...new Set(action.publishedResultIds)],
          labels,
        },
      };
    }

    case "reopen": {
      const next: Workflow = { ...workflow, state: "open", editors: [] };
      if (isLocked(card, today)) next.unlockedUntil = addDays(today, REOPEN_WINDOW_DAYS);
      return { ok: true, next };
    }
  }
}

/** First day on which the final report can be submitted: the project's end date. */
export function submissionOpensOn(card: Pick<LifecycleCard, "endDate">): string | undefined {
  return card.endDate;
}

/** First day on which the card is locked: the day after the end date's second anniversary. */
export function lockDate(card: Pick<LifecycleCard, "endDate">): string | undefined {
  if (card.endDate === undefined) return undefined;
  return addDays(addYears(card.endDate, LOCK_AFTER_YEARS), 1);
}

/** Returns true when nothing can change on the card on `today` short of a helpdesk reopening. */
export function isLocked(card: LifecycleCard, today: string): boolean {
  const lockedOn = lockDate(card);
  if (lockedOn === undefined || today < lockedOn) return false;
  const unlockedUntil = card.workflow.unlockedUntil;
  return unlockedUntil === undefined || today > unlockedUntil;
}

/** Returns true when the card belongs on the beneficiary's dashboard. */
export function isOnBeneficiaryDashboard(state: ReviewState): boolean {
  return state === "open" || state === "returned";
}

function reject(
  code: DecisionCode,
  message: string,
  details: Record<string, unknown>,
): Decision & { ok: false } {
  return { ok: false, code, message, details };
}

function withoutComment(workflow: Workflow): Workflow {
  const { comment: _comment, ...rest } = workflow;
  return rest;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return isoDay(date);
}

/** Adds whole years. 29 February moves to 1 March in a year without it. */
function addYears(day: string, years: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return isoDay(date);
}
