/**
 * Access rules for the editorial dashboards. The public catalogue shows every published card to
 * everyone, so these rules govern the editing side only.
 */

export type Role = "beneficiary" | "officer" | "helpdesk";

/** A signed-in account as the workflow rules need it. */
export interface Account {
  id: string;
  role: Role;
  /** E-mail address of the account. It counts for access only once `emailVerified` is true. */
  email?: string;
  emailVerified?: boolean;
  /** Agency an officer's account is bound to: a National Agency code such as `DE02`, or `EACEA`. */
  agency?: string;
}

/** The parts of a card that access rules read. */
export interface CardRef {
  id: string;
  agency: string;
}

/**
 * The beneficiaries of one project: the contact e-mails of the private contacts feed, and the
 * accounts that helpdesk granted access to by hand.
 */
export interface ProjectAccess {
  contactEmails: readonly string[];
  grantedAccountIds: readonly string[];
}

/** Normalises an e-mail address for comparison: trimmed and lower case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Returns true when the account is one of the project's beneficiaries. */
export function isProjectMember(account: Account, access: ProjectAccess): boolean {
  if (account.role !== "beneficiary") return false;
  if (access.grantedAccountIds.includes(account.id)) return true;
  if (account.emailVerified !== true || !account.email) return false;
  const email = normaliseEmail(account.email);
  return access.contactEmails.some((contact) => normaliseEmail(contact) === email);
}

/**
 * Returns true when the account may open the card in a dashboard: a beneficiary of the project,
 * an officer of the card's agency, or any helpdesk account.
 */
export function canView(account: Account, card: CardRef, access: ProjectAccess): boolean {
  switch (account.role) {
    case "helpdesk":
      return true;
    case "officer":
      return account.agency !== undefined && account.agency === card.agency;
    case "beneficiary":
      return isProjectMember(account, access);
  }
}
