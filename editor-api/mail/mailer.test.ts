import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSmtpInbox } from "../testing/smtp-inbox.ts";
import { buildLink } from "./links.ts";
import { createMailer } from "./mailer.ts";
import { passwordResetMail } from "./messages.ts";

let folder: string;
let logLines: string[];
let logger: pino.Logger;
beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), "editor-mail-test-"));
  logLines = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logLines.push(String(chunk));
      callback();
    },
  });
  logger = pino(sink);
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

const TOKEN = "abcdefghijklmnopqrstuvwxyz234567";
const link = buildLink(new URL("https://results.example.eu"), "resetPassword", TOKEN);
const message = passwordResetMail("anna@ngo.example", "Anna", link);

describe("mailer", () => {
  it("builds links from PUBLIC_URL", () => {
    expect(link).toBe(`https://results.example.eu/account/reset-password?token=${TOKEN}`);
  });

  it("writes an .eml file to the outbox without SMTP", async () => {
    const outbox = path.join(folder, "outbox");
    const mailer = createMailer({
      smtpUrl: undefined,
      outboxDir: outbox,
      from: "a@b.example",
      logger,
    });
    await mailer.send(message);
    const files = readdirSync(outbox);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const eml = readFileSync(path.join(outbox, files[0] ?? ""), "utf8");
    expect(eml).toContain("To: anna@ngo.example");
    expect(eml).toContain("Subject: Reset your password");
    expect(eml).toContain("text/html");
  });

  it("sends through SMTP when configured", async () => {
    const inbox = await startSmtpInbox();
    try {
      const mailer = createMailer({
        smtpUrl: inbox.url,
        outboxDir: folder,
        from: "a@b.example",
        logger,
      });
      await mailer.send(message);
      const received = inbox.latest("anna@ngo.example", "Reset your password");
      expect(received.text).toContain(link);
      expect(received.html).toContain(link);
    } finally {
      await inbox.close();
    }
  });

  it("logs the domain and subject, never the address or token", async () => {
    const mailer = createMailer({
      smtpUrl: undefined,
      outboxDir: folder,
      from: "a@b.example",
      logger,
    });
    await mailer.send(message);
    const log = logLines.join("");
    expect(log).toContain('"to":"ngo.example"');
    expect(log).toContain("Reset your password");
    expect(log).not.toContain("anna@");
    expect(log).not.toContain(TOKEN);
  });
});
