/**
 * The rebuild queue inside `createPlatform`: its timing comes from the options, and a failed
 * rebuild reaches helpdesk by e-mail. The dashboards are left out (a handler that passes every
 * request on), because only the queue's wiring is under test here.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { insertAccount } from "../editor-api/accounts/account.ts";
import { type SmtpInbox, startSmtpInbox } from "../editor-api/testing/smtp-inbox.ts";
import { createPlatform } from "./dashboard.ts";

const NOW = Date.parse("2026-12-04T10:00:00Z");
/** Time of the platform's clock, moved by the tests. */
let now = NOW;
let root: string;
let inbox: SmtpInbox;
let platform: Awaited<ReturnType<typeof createPlatform>>;

beforeEach(async () => {
  now = NOW;
  root = await mkdtemp(join(tmpdir(), "platform-rebuild-"));
  await mkdir(join(root, "content"), { recursive: true });
  inbox = await startSmtpInbox();
  platform = await createPlatform({
    env: {
      PUBLIC_URL: "http://127.0.0.1:4321",
      DATABASE_PATH: join(root, "editor.db"),
      SMTP_URL: inbox.url,
      PASSWORD_HASH_COST: "test",
    },
    contentDir: join(root, "content"),
    distDir: join(root, "dist"),
    attachmentsDir: join(root, "attachments"),
    logger: pino({ level: "silent" }),
    dashboard: { handler: async (_request, _response, next) => next(), clientDir: root },
    clock: () => new Date(now),
    rebuild: async () => {
      throw new Error("site build failed in step astro: Invalid URL");
    },
    queueTiming: { debounceMs: 2000, backoffMs: 5000 },
  });
  for (const [username, role] of [
    ["Helpdesk1", "helpdesk"],
    ["Camille", "beneficiary"],
  ] as const) {
    insertAccount(
      platform.deps.db,
      {
        username,
        firstName: "Test",
        lastName: username,
        email: `${username.toLowerCase()}@example.test`,
        passwordHash: null,
        role,
        agency: null,
        emailVerified: true,
      },
      new Date(NOW),
    );
  }
});

afterEach(async () => {
  await platform.close();
  await inbox.close();
  await rm(root, { recursive: true, force: true });
});

describe("platform rebuild queue", () => {
  it("uses the given debounce window", () => {
    const id = platform.queue.request({ reason: "publish P1", cardIds: ["P1"] });
    expect(platform.queue.get(id)?.notBefore).toBe(new Date(NOW + 2000).toISOString());
  });

  it("mails helpdesk when a rebuild fails", async () => {
    const id = platform.queue.request({ reason: "publish P1", cardIds: ["P1"] });
    expect(await platform.queue.runDue()).toBe(0);
    now += 2000;
    expect(await platform.queue.runDue()).toBe(1);

    const job = platform.queue.get(id);
    expect(job?.state).toBe("failed");
    expect(job?.notBefore).toBe(new Date(NOW + 7000).toISOString());
    const mail = inbox.latest("helpdesk1@example.test", `Site rebuild ${id} failed (attempt 1)`);
    expect(mail.text).toContain("Invalid URL");
    expect(mail.text).toContain("2026-12-04T10:00:07.000Z");
    expect(inbox.messages.filter((message) => message.to.includes("camille@example.test"))).toEqual(
      [],
    );
  });
});
