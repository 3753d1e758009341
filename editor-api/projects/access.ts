/**
 * Visibility of projects: the facts come from the project index, the private contacts feed and
 * the helpdesk grants, and the workflow's `canView` makes the decision.
 */

import type { Account } from "../accounts/account.ts";
import type { Database, SqlInput } from "../db/database.ts";
import { canView } from "../workflow/access.ts";
import type { ProjectAccess, Account as RuleAccount } from "../workflow/lifecycle.ts";
import { projectNotFound } from "./errors.ts";
import { findIndexedProject, findProject, type IndexedProject } from "./project-index.ts";

/** Converts an account for the workflow rules, whose account ids are text. */
export function ruleAccount(account: Account): RuleAccount {
  const rules: RuleAccount = {
    id: String(account.id),
    role: account.role,
    email: account.email,
    emailVerified: account.emailVerified,
  };
  if (account.agency !== null) rules.agency = account.agency;
  return rules;
}

/** Reads the contact e-mails of the feed and the granted account ids of one project. */
export function projectAccess(db: Database, projectId: string): ProjectAccess {
  const contacts = db
    .prepare("SELECT email FROM project_contacts WHERE project_id = ?")
    .all(projectId) as { email: string }[];
  const grants = db
    .prepare("SELECT account_id FROM project_grants WHERE project_id = ?")
    .all(projectId) as { account_id: number }[];
  return {
    contactEmails: contacts.map((row) => row.email),
    grantedAccountIds: grants.map((row) => String(row.account_id)),
  };
}

/** A project the caller may see, with the access record the rules need. */
export interface VisibleProject {
  project: IndexedProject;
  access: ProjectAccess;
}

/** Loads a project the account may see, or throws 404 as if it did not exist. */
export function visibleProject(db: Database, account: Account, id: string): VisibleProject {
  const project = findIndexedProject(db, id);
  if (!project) throw projectNotFound(id);
  const access = projectAccess(db, id);
  if (!canView(ruleAccount(account), project, access)) throw projectNotFound(id);
  return { project, access };
}

/**
 * Loads a project the account may see like `visibleProject`, and first indexes its card file
 * when the card arrived in `contentDir` after the last sync.
 */
export async function findVisibleProject(
  db: Database,
  contentDir: string,
  account: Account,
  id: string,
  now: () => Date,
): Promise<VisibleProject> {
  await findProject(contentDir, db, id, now);
  return visibleProject(db, account, id);
}

/** SQL condition and values selecting the projects (alias `i`) that the account may see. */
export function visibilityFilter(account: Account): { where: string; values: SqlInput[] } {
  switch (account.role) {
    case "helpdesk":
      return { where: "1 = 1", values: [] };
    case "officer":
      return { where: "i.agency = ?", values: [account.agency ?? ""] };
    case "beneficiary": {
      const granted = "i.id IN (SELECT project_id FROM project_grants WHERE account_id = ?)";
      if (!account.emailVerified) return { where: granted, values: [account.id] };
      return {
        where: `(${granted} OR i.id IN (SELECT project_id FROM project_contacts WHERE lower(email) = ?))`,
        values: [account.id, account.email.trim().toLowerCase()],
      };
    }
  }
}

/** Verified e-mail addresses of the beneficiary accounts that may see the project. */
export function memberAddresses(db: Database, projectId: string): string[] {
  const rows = db
    .prepare(
      `SELECT DISTINCT a.email FROM accounts a
       WHERE a.role = 'beneficiary' AND a.email_verified_at IS NOT NULL AND (
         a.id IN (SELECT account_id FROM project_grants WHERE project_id = ?)
         OR lower(a.email) IN (SELECT lower(email) FROM project_contacts WHERE project_id = ?))
       ORDER BY a.email`,
    )
    .all(projectId, projectId) as { email: string }[];
  return rows.map((row) => row.email);
}

/** Verified e-mail addresses of the officers of an agency. */
export function officerAddresses(db: Database, agency: string): string[] {
  const rows = db
    .prepare(
      `SELECT email FROM accounts WHERE role = 'officer' AND agency = ?
         AND email_verified_at IS NOT NULL ORDER BY email`,
    )
    .all(agency) as { email: string }[];
  return rows.map((row) => row.email);
}
