/** A minimal cookie jar for tests that talk to servers with fetch. */

type StoredCookie = { value: string; path: string };

/** Keeps cookies per host, honours Path and deletion through Max-Age=0 or an empty value. */
export class CookieJar {
  readonly #cookies = new Map<string, Map<string, StoredCookie>>();

  /** Stores the Set-Cookie headers of a response to `url`. */
  store(url: string | URL, response: Response): void {
    const host = new URL(url).host;
    const jar = this.#cookies.get(host) ?? new Map<string, StoredCookie>();
    this.#cookies.set(host, jar);
    for (const header of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = header.split(";").map((part) => part.trim());
      const separator = pair.indexOf("=");
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      const attribute = (key: string) =>
        attributes.find((part) => part.toLowerCase().startsWith(`${key}=`))?.split("=")[1];
      const path = attribute("path") ?? "/";
      if (value === "" || attribute("max-age") === "0") jar.delete(name);
      else jar.set(name, { value, path });
    }
  }

  /** Returns the Cookie header for a request to `url`, or undefined without cookies. */
  header(url: string | URL): string | undefined {
    const target = new URL(url);
    const jar = this.#cookies.get(target.host);
    if (!jar) return undefined;
    const pairs = [...jar]
      .filter(([, cookie]) => target.pathname.startsWith(cookie.path))
      .map(([name, cookie]) => `${name}=${cookie.value}`);
    return pairs.length > 0 ? pairs.join("; ") : undefined;
  }

  get(url: string | URL, name: string): string | undefined {
    return this.#cookies.get(new URL(url).host)?.get(name)?.value;
  }

  set(url: string | URL, name: string, value: string): void {
    const host = new URL(url).host;
    const jar = this.#cookies.get(host) ?? new Map<string, StoredCookie>();
    jar.set(name, { value, path: "/" });
    this.#cookies.set(host, jar);
  }
}
