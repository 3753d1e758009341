/**
 * Addresses of the dashboard pages that e-mail links open. Each page reads `token` from the
 * query string and POSTs it to the API route named beside it.
 */
export const LINK_PAGES = {
  /** POST /api/auth/verify-email */
  verifyEmail: "/account/verify-email",
  /** POST /api/auth/password-reset/confirm */
  resetPassword: "/account/reset-password",
  /** POST /api/auth/set-password */
  setPassword: "/account/set-password",
  /** POST /api/auth/email-change/confirm */
  confirmEmail: "/account/confirm-email",
} as const;

export type LinkPage = keyof typeof LINK_PAGES;

/** Builds the absolute link for a page and token from PUBLIC_URL. */
export function buildLink(publicUrl: URL, page: LinkPage, token: string): string {
  const url = new URL(LINK_PAGES[page], publicUrl);
  url.searchParams.set("token", token);
  return url.toString();
}
