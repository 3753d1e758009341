/** Normalises the project website a beneficiary types in. */

export type WebsiteResult = { ok: true; url: string } | { ok: false; message: string };

const WITH_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** Schemes written without `//`, which would otherwise be taken for a host name. */
const OPAQUE_SCHEME = /^(mailto|javascript|data|tel|file|ftp|vbscript|blob):/i;

/**
 * Returns the address as an absolute http(s) URL. Text without a scheme gets `http://` in front;
 * any scheme other than http and https is rejected, and so is a host without a dot.
 */
export function normaliseWebsite(input: string): WebsiteResult {
  const text = input.trim();
  const shown = JSON.stringify(input);
  if (text === "") return { ok: false, message: "The website is empty; send an address or null." };

  if (!WITH_SCHEME.test(text) && OPAQUE_SCHEME.test(text)) {
    const scheme = text.slice(0, text.indexOf(":")).toLowerCase();
    return {
      ok: false,
      message: `The website ${shown} uses the ${scheme} scheme; use an http:// or https:// address.`,
    };
  }
  const candidate = WITH_SCHEME.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return {
      ok: false,
      message: `The website ${shown} is not a valid web address; use a form like www.example.org.`,
    };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return {
      ok: false,
      message: `The website ${shown} uses the ${url.protocol.slice(0, -1)} scheme; use an http:// or https:// address.`,
    };
  }
  if (!url.hostname.includes(".") || url.hostname.endsWith(".")) {
    return {
      ok: false,
      message: `The website ${shown} has no valid host name; use a form like www.example.org.`,
    };
  }
  return { ok: true, url: url.toString() };
}
