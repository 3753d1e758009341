/**
 * Mails the report of a failed scheduled import to every helpdesk account with a verified
 * address: the `notify` callback of the scheduled import in the server.
 */
import type { Logger } from "pino";
import type { Mailer } from "../../editor-api/mail/mailer.ts";
import { helpdeskAddresses } from "../../editor-api/publish/helpdesk-alert.ts";
import type { ScheduledImportReport } from "../../pipeline/schedule/run.ts";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Creates the callback. A failed delivery rejects, and the import run logs it. */
export function alertHelpdeskOfImport(deps: {
  db: Parameters<typeof helpdeskAddresses>[0];
  mailer: Mailer;
  logger: Logger;
}): (report: ScheduledImportReport) => Promise<void> {
  return async (report) => {
    const to = helpdeskAddresses(deps.db);
    if (to.length === 0) {
      deps.logger.warn({}, "no helpdesk account with a verified address to notify of the import");
      return;
    }
    const lines = [
      `The scheduled import that started at ${report.startedAt} failed.`,
      "",
      `${report.error?.code}: ${report.error?.message}`,
      "",
      "The catalogue was left as it was before the run, unless the error says cards were written.",
      `Report on the server: ${report.reportFile}`,
    ];
    const text = lines.join("\n");
    for (const address of to) {
      await deps.mailer.send({
        to: address,
        subject: `Scheduled import failed: ${report.error?.code}`,
        text,
        html: `<pre>${escapeHtml(text)}</pre>`,
      });
    }
  };
}
