/** The review queue: submitted cards an officer may review, oldest submission first. */

import type { Account } from "../accounts/account.ts";
import type { Database } from "../db/database.ts";
import { visibilityFilter } from "../projects/access.ts";

const DAY_MS = 86_400_000;

interface QueueRow {
  id: string;
  title: string;
  programme: string;
  agency: string;
  end_date: string | null;
  submitted_at: string | null;
  version: number;
}

/**
 * Lists the submitted cards the account may see, oldest first, with their age in whole days.
 * A card that arrived submitted from an import has no submission time and comes first.
 */
export function reviewQueue(db: Database, account: Account, now: Date) {
  const filter = visibilityFilter(account);
  const rows = db
    .prepare(
      `SELECT i.id, i.title, i.programme, i.agency, i.end_date, w.submitted_at, w.version
       FROM project_index i JOIN project_workflow w ON w.project_id = i.id
       WHERE w.state = 'submitted' AND ${filter.where}
       ORDER BY w.submitted_at, i.id`,
    )
    .all(...filter.values) as unknown as QueueRow[];
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    programme: row.programme,
    agency: row.agency,
    endDate: row.end_date,
    submittedAt: row.submitted_at,
    ageDays:
      row.submitted_at === null
        ? null
        : Math.max(0, Math.floor((now.getTime() - Date.parse(row.submitted_at)) / DAY_MS)),
    version: row.version,
  }));
}
