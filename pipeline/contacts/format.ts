/**
 * The private contacts feed: one row per contact person of a project, sent by the
 * grant-management systems beside the public export. It decides who may sign in as a
 * beneficiary of a project, and it is never published. The format is described in
 * docs/contacts-feed.md.
 */

export const CONTACT_COLUMNS = [
  "Project Identifier",
  "Contact name",
  "Contact e-mail",
  "Contact phone",
  "Contact role",
  "Organisation",
] as const;

export type ContactColumn = (typeof CONTACT_COLUMNS)[number];

export const FEED_DELIMITER = ";";

/** One valid row of the feed. */
export interface ContactRow {
  projectId: string;
  name: string;
  email: string;
  phone?: string;
  role?: string;
  organisation?: string;
  /** Line of the feed file the row ends on, from 1 for the header. */
  line: number;
}

/** One problem found in the feed: the file, line and column, the value, and why it failed. */
export interface FeedIssue {
  file: string;
  line: number;
  column?: ContactColumn;
  value?: string;
  reason: string;
}

const MAX_LENGTH: Record<ContactColumn, number> = {
  "Project Identifier": 200,
  "Contact name": 200,
  "Contact e-mail": 254,
  "Contact phone": 40,
  "Contact role": 100,
  Organisation: 300,
};

/** A pragmatic address check: one `@`, a dotted domain, no spaces or angle brackets. */
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
/** Digits with the separators people write in phone numbers, an optional leading `+`. */
const PHONE = /^\+?[0-9 ()./-]{4,40}$/;

/**
 * Checks one record (cells in header order) and returns the row, or one issue per invalid cell.
 * E-mail addresses are stored in lower case, because they are compared that way.
 */
export function validateContactRecord(
  cells: readonly string[],
  file: string,
  line: number,
): { ok: true; row: ContactRow } | { ok: false; issues: FeedIssue[] } {
  if (cells.length !== CONTACT_COLUMNS.length) {
    return {
      ok: false,
      issues: [
        {
          file,
          line,
          reason: `expected ${CONTACT_COLUMNS.length} fields separated by "${FEED_DELIMITER}", found ${cells.length}`,
        },
      ],
    };
  }

  const value = (column: ContactColumn) => cells[CONTACT_COLUMNS.indexOf(column)].trim();
  const issues: FeedIssue[] = [];
  const fail = (column: ContactColumn, reason: string) =>
    issues.push({ file, line, column, value: value(column), reason });

  for (const column of CONTACT_COLUMNS) {
    if (value(column).length > MAX_LENGTH[column]) {
      fail(column, `longer than ${MAX_LENGTH[column]} characters`);
    }
    if (/\p{Cc}/u.test(value(column))) fail(column, "contains a control character");
  }
  if (value("Project Identifier") === "") fail("Project Identifier", "missing");
  if (value("Contact name") === "") fail("Contact name", "missing");
  if (value("Contact e-mail") === "") {
    fail("Contact e-mail", "missing");
  } else if (!EMAIL.test(value("Contact e-mail"))) {
    fail("Contact e-mail", "invalid e-mail address");
  }
  const phone = value("Contact phone");
  if (phone !== "" && !PHONE.test(phone)) {
    fail("Contact phone", "invalid phone number: use digits, spaces and an optional leading +");
  }
  if (issues.length > 0) return { ok: false, issues };

  return {
    ok: true,
    row: {
      projectId: value("Project Identifier"),
      name: value("Contact name"),
      email: value("Contact e-mail").toLowerCase(),
      phone: phone || undefined,
      role: value("Contact role") || undefined,
      organisation: value("Organisation") || undefined,
      line,
    },
  };
}
