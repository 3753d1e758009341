/** The failed-import mail, sent through a real SMTP server on 127.0.0.1 to helpdesk accounts. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { insertAccount } from "../../editor-api/accounts/account.ts";
import type { Database } from "../../editor-api/db/database.ts";
import { createTestDatabase, type TestDatabase } from "../../editor-api/db/test-database.ts";
import { createMailer } from "../../editor-api/mail/mailer.ts";
import { type SmtpInbox, startSmtpInbox } from "../../editor-api/testing/smtp-inbox.ts";
import type { ScheduledImportReport } from "../../pipeline/schedule/run.ts";
import { alertHelpdeskOfImport } from "./import-alert.ts";

const NOW = new Date("2026-12-04T05:00:00Z");
const logger = pino({ level: "silent" });

let root: string;
let database: TestDatabase;
let db: Database;
let inbox: SmtpInbox;

const REPORT: ScheduledImportReport = {
  status: "failed",
  startedAt: "2026-12-04T05:00:00.000Z",
  finishedAt: "2026-12-04T05:00:03.000Z",
  files: [],
  rebuildRequested: false,
  error: {
    code: "DOWNLOAD_HTTP_STATUS",
    message: "GET https://exports.example.eu/ka1.csv returned HTTP 503; check the URL",
  },
  reportFile: "/srv/results/reports/scheduled-import-2026-12-04T05-00-00-000Z.json",
};

function addAccount(username: string, role: "helpdesk" | "beneficiary", verified: boolean) {
  insertAccount(
    db,
    {
      username,
      firstName: "Test",
      lastName: username,
      email: `${username.toLowerCase()}@example.test`,
      passwordHash: null,
      role,
      agency: null,
      emailVerified: verified,
    },
    NOW,
  );
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "import-alert-"));
  database = createTestDatabase(root);
  db = database.open();
  inbox = await startSmtpInbox();
});

afterEach(async () => {
  db.close();
  database.drop();
  await inbox.close();
  await rm(root, { recursive: true, force: true });
});

describe("alertHelpdeskOfImport", () => {
  it("mails verified helpdesk accounts", async () => {
    addAccount("Helpdesk1", "helpdesk", true);
    addAccount("Helpdesk2", "helpdesk", false);
    addAccount("Camille", "beneficiary", true);
    const mailer = createMailer({
      smtpUrl: inbox.url,
      outboxDir: join(root, "outbox"),
      from: "platform <no-reply@example.test>",
      logger,
    });

    await alertHelpdeskOfImport({ db, mailer, logger })(REPORT);

    const mail = inbox.latest("helpdesk1@example.test");
    expect(mail.subject).toBe("Scheduled import failed: DOWNLOAD_HTTP_STATUS");
    expect(mail.text).toContain("returned HTTP 503");
    expect(mail.text).toContain(REPORT.reportFile);
    expect(inbox.messages).toHaveLength(1);
  });

  it("sends nothing without helpdesk accounts", async () => {
    const mailer = createMailer({
      smtpUrl: inbox.url,
      outboxDir: join(root, "outbox"),
      from: "platform <no-reply@example.test>",
      logger,
    });
    await alertHelpdeskOfImport({ db, mailer, logger })(REPORT);
    expect(inbox.messages).toEqual([]);
  });
});
