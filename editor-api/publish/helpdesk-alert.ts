/**
 * Tells helpdesk that a site rebuild failed: the `notify` callback of the rebuild queue. Every
 * helpdesk account with a verified e-mail address gets the `rebuild-failed` message.
 */
import type { EditorDeps } from "../http/context.ts";
import { notify } from "../projects/notify.ts";
import type { RebuildFailedEvent } from "./queue.ts";

/** Returns the verified e-mail addresses of the helpdesk accounts, oldest account first. */
export function helpdeskAddresses(db: EditorDeps["db"]): string[] {
  const rows = db
    .prepare(
      "SELECT email FROM accounts WHERE role = 'helpdesk' AND email_verified_at IS NOT NULL ORDER BY id",
    )
    .all() as { email: string }[];
  return rows.map((row) => row.email);
}

/**
 * Creates the queue's `notify` callback: logs the failure and mails it to helpdesk. A failed
 * delivery is logged by `notify` and never changes the job's state.
 */
export function alertHelpdesk(deps: EditorDeps): (event: RebuildFailedEvent) => Promise<void> {
  return async (event) => {
    const { type: _type, ...details } = event;
    deps.logger.error(details, "site rebuild failed");
    const to = helpdeskAddresses(deps.db);
    if (to.length === 0) {
      deps.logger.warn(
        { jobId: event.jobId },
        "no helpdesk account with a verified address to notify of the failed rebuild",
      );
      return;
    }
    await notify(deps, { ...event, to });
  };
}
