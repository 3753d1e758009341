/**
 * Mails whose delivery must not delay the response: those sent only when an address has an
 * account (password reset, verification resend, lockout notice). A response that waited for the
 * mail server would take longer for a known address than for an unknown one.
 */
import type { Logger } from "pino";
import type { Mailer, MailMessage } from "../mail/mailer.ts";

/** Deliveries started by `sendInBackground` that have not finished yet. */
const pending = new Set<Promise<void>>();

/**
 * Starts sending `message` and returns at once. A failed delivery is logged with the account id,
 * the subject and the error codes only, because mail server replies can quote the recipient's
 * address.
 */
export function sendInBackground(
  deps: { mailer: Mailer; logger: Logger },
  message: MailMessage,
  accountId: number,
): void {
  const delivery: Promise<void> = sendOrLogFailure(deps, message, accountId).finally(() =>
    pending.delete(delivery),
  );
  pending.add(delivery);
}

/**
 * Sends `message` and resolves once it is sent or has failed, without rejecting, so that a
 * failed mail does not fail a request whose change is already stored. A failure is logged as in
 * `sendInBackground`.
 */
export async function sendOrLogFailure(
  deps: { mailer: Mailer; logger: Logger },
  message: MailMessage,
  accountId: number,
): Promise<void> {
  try {
    await deps.mailer.send(message);
  } catch (error) {
    const { code, responseCode } = error as { code?: string; responseCode?: number };
    deps.logger.error(
      { accountId, code, responseCode, subject: message.subject },
      "mail delivery failed",
    );
  }
}

/**
 * Resolves once every delivery started in this process by `sendInBackground` has ended, sent or
 * failed. Tests await it before they read the inbox.
 */
export async function backgroundMailSettled(): Promise<void> {
  while (pending.size > 0) await Promise.all([...pending]);
}
