/**
 * Outgoing mail through nodemailer: SMTP when SMTP_URL is set, otherwise each message is
 * written as an .eml file into OUTBOX_DIR. Logs name the recipient's domain and the subject
 * only, never the body, because bodies carry single-use links.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";
import type { Logger } from "pino";

export type MailMessage = { to: string; subject: string; text: string; html: string };

export type Mailer = { send(message: MailMessage): Promise<void> };

export type MailerOptions = {
  smtpUrl: string | undefined;
  outboxDir: string;
  from: string;
  logger: Logger;
};

function recipientDomain(address: string): string {
  return address.split("@").at(-1) ?? "unknown";
}

/** Builds the mailer for the configured transport. */
export function createMailer(options: MailerOptions): Mailer {
  const { logger } = options;
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      async send(message) {
        await transport.sendMail({ from: options.from, ...message });
        logger.info({ to: recipientDomain(message.to), subject: message.subject }, "mail sent");
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return {
    async send(message) {
      const info = await transport.sendMail({ from: options.from, ...message });
      mkdirSync(options.outboxDir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${crypto.randomUUID()}.eml`;
      writeFileSync(path.join(options.outboxDir, name), info.message as Buffer);
      logger.info(
        { to: recipientDomain(message.to), subject: message.subject, file: name },
        "mail written to outbox",
      );
    },
  };
}
