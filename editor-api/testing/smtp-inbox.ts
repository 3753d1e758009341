/** A real SMTP server on 127.0.0.1 that keeps every message it receives, for tests. */
import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = { to: string[]; subject: string; text: string; html: string };

export type SmtpInbox = {
  url: string;
  messages: ReceivedMail[];
  /** Returns the newest message to `address` whose subject contains `subject`, or throws. */
  latest(address: string, subject?: string): ReceivedMail;
  close(): Promise<void>;
};

function recipients(mail: ParsedMail): string[] {
  if (!mail.to) return [];
  const fields = Array.isArray(mail.to) ? mail.to : [mail.to];
  return fields.flatMap((field) => field.value.map((entry) => (entry.address ?? "").toLowerCase()));
}

export async function startSmtpInbox(): Promise<SmtpInbox> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      // Parse before acknowledging, so the message is stored before the sender's call returns.
      simpleParser(stream)
        .then((mail) => {
          messages.push({
            to: recipients(mail),
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            html: typeof mail.html === "string" ? mail.html : "",
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    latest(address, subject = "") {
      const found = messages.findLast(
        (mail) => mail.to.includes(address.toLowerCase()) && mail.subject.includes(subject),
      );
      if (!found) {
        const seen = messages.map((mail) => `${mail.to.join(",")}: ${mail.subject}`).join("; ");
        throw new Error(
          `No mail to ${address} with subject "${subject}"; received: ${seen || "none"}`,
        );
      }
      return found;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Returns the `token` query parameter of the first link in a message's text. */
export function linkToken(mail: ReceivedMail): string {
  const url = mail.text.match(/https?:\/\/\S+/)?.[0];
  const token = url ? new URL(url).searchParams.get("token") : null;
  if (!token) throw new Error(`No link with a token in the mail "${mail.subject}"`);
  return token;
}
