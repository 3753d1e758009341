/** Texts of the account e-mails, each in plain text and HTML. */
import type { MailMessage } from "./mailer.ts";

const SIGNATURE = "EU project results platform";

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/** Composes a message from paragraphs and an optional link with its label. */
function compose(
  to: string,
  subject: string,
  paragraphs: string[],
  link?: { url: string; label: string },
): MailMessage {
  const textParts = [...paragraphs];
  if (link) textParts.push(`${link.label}:\n${link.url}`);
  textParts.push(SIGNATURE);
  const htmlParts = paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`);
  if (link) {
    const href = escapeHtml(link.url);
    htmlParts.push(`<p><a href="${href}">${escapeHtml(link.label)}</a></p>`);
  }
  htmlParts.push(`<p>${SIGNATURE}</p>`);
  return { to, subject, text: `${textParts.join("\n\n")}\n`, html: htmlParts.join("\n") };
}

export function verificationMail(to: string, firstName: string, url: string): MailMessage {
  return compose(
    to,
    "Confirm your e-mail address",
    [
      `Hello ${firstName},`,
      "Confirm your e-mail address to start using your account. The link works once and expires in 24 hours.",
    ],
    { url, label: "Confirm the address" },
  );
}

export function registrationAttemptMail(to: string): MailMessage {
  return compose(to, "Registration attempt with your e-mail address", [
    "Someone tried to register a new account with this e-mail address, which already has an account.",
    "If it was you, sign in with your existing account or reset its password. Otherwise ignore this message.",
  ]);
}

export function passwordResetMail(to: string, firstName: string, url: string): MailMessage {
  return compose(
    to,
    "Reset your password",
    [
      `Hello ${firstName},`,
      "A password reset was requested for your account. The link works once and expires in 1 hour. Setting a new password signs you out everywhere.",
      "If you did not request it, ignore this message.",
    ],
    { url, label: "Set a new password" },
  );
}

export function setPasswordMail(
  to: string,
  firstName: string,
  role: string,
  url: string,
): MailMessage {
  return compose(
    to,
    "Your account on the EU project results platform",
    [
      `Hello ${firstName},`,
      `The helpdesk created a ${role} account for you. Choose your password through the link below. It works once and expires in 72 hours.`,
    ],
    { url, label: "Choose a password" },
  );
}

export function emailChangeMail(to: string, firstName: string, url: string): MailMessage {
  return compose(
    to,
    "Confirm your new e-mail address",
    [
      `Hello ${firstName},`,
      "Confirm that this address should replace the one on your account. The link works once and expires in 24 hours.",
    ],
    { url, label: "Confirm the new address" },
  );
}

export function emailChangedNotice(to: string, firstName: string): MailMessage {
  return compose(to, "Your e-mail address was changed", [
    `Hello ${firstName},`,
    "The e-mail address of your account was changed to a new one. If you did not do this, contact the helpdesk at once.",
  ]);
}

export function lockoutMail(to: string, firstName: string, unlockAt: Date): MailMessage {
  return compose(to, "Your account is locked for 15 minutes", [
    `Hello ${firstName},`,
    `Five wrong passwords in a row were entered for your account, so sign-in is locked until ${unlockAt.toISOString()} (UTC).`,
    "If it was not you, reset your password after that time and tell the helpdesk.",
  ]);
}
