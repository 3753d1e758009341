/**
 * Calls the editor API from a dashboard page on behalf of the browser. It forwards the session
 * cookie, Origin and Referer, so the API runs its own CSRF checks. It also collects the cookies
 * the API sets, so the page can pass them back to the browser.
 */
import type { AstroGlobal } from "astro";
import type { DashboardLocals } from "./locals.ts";

export interface ApiIssue {
  path: (string | number)[];
  code: string;
  message: string;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  issues?: ApiIssue[];
  [key: string]: unknown;
}

export type ApiResult<T> =
  | { ok: true; status: number; data: T; headers: Headers }
  | { ok: false; status: number; error: ApiErrorBody; headers: Headers };

/** The account of `GET /api/session`. */
export interface SessionAccount {
  id: number;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  role: "beneficiary" | "officer" | "helpdesk";
  agency: string | null;
}

export interface Session {
  account: SessionAccount;
  csrfToken: string;
  expiresAt: string;
}

const FORWARDED_HEADERS = ["cookie", "origin", "referer", "user-agent", "accept-language"];

export interface EditorClient {
  /** Sends a request; `body` is sent as JSON, or as it is when it is bytes or a Blob. */
  call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    options?: { csrfToken?: string; headers?: Record<string, string> },
  ): Promise<ApiResult<T>>;
  /** Set-Cookie headers the API returned during this page request. */
  readonly setCookies: string[];
}

/** Returns what `scripts/dashboard.ts` put in `Astro.locals`. */
export function dashboardLocals(astro: Pick<AstroGlobal, "locals">): DashboardLocals {
  return astro.locals as unknown as DashboardLocals;
}

/** Creates the API client of one page request. */
export function editorClient(astro: Pick<AstroGlobal, "request" | "locals">): EditorClient {
  const setCookies: string[] = [];
  const send = dashboardLocals(astro).editorApi;
  return {
    setCookies,
    async call<T>(
      method: string,
      path: string,
      body?: unknown,
      options: { csrfToken?: string; headers?: Record<string, string> } = {},
    ): Promise<ApiResult<T>> {
      const headers = new Headers(options.headers);
      for (const name of FORWARDED_HEADERS) {
        const value = astro.request.headers.get(name);
        if (value !== null && !headers.has(name)) headers.set(name, value);
      }
      // A sign-in during this request replaced the cookie the browser sent.
      const renewed = latestSessionCookie(setCookies);
      if (renewed !== undefined) headers.set("cookie", renewed);
      if (options.csrfToken) headers.set("x-csrf-token", options.csrfToken);
      let payload: BodyInit | undefined;
      if (body instanceof Uint8Array || body instanceof Blob) {
        payload = body as BodyInit;
      } else if (body !== undefined) {
        payload = JSON.stringify(body);
        headers.set("content-type", "application/json");
      }
      const response = await send(path, { method, headers, body: payload });
      setCookies.push(...response.headers.getSetCookie());
      const text = await response.text();
      const parsed = text === "" ? undefined : (JSON.parse(text) as unknown);
      if (response.ok) {
        return { ok: true, status: response.status, data: parsed as T, headers: response.headers };
      }
      const error = (parsed as { error?: ApiErrorBody } | undefined)?.error ?? {
        code: "INTERNAL_ERROR",
        message: `The editor API returned status ${response.status}; try again later.`,
      };
      return { ok: false, status: response.status, error, headers: response.headers };
    },
  };
}

function latestSessionCookie(setCookies: string[]): string | undefined {
  const pairs = setCookies
    .map((header) => header.split(";")[0] ?? "")
    .filter((pair) => pair.startsWith("editor_session="));
  const last = pairs.at(-1);
  if (last === undefined) return undefined;
  return last === "editor_session=" ? "" : last;
}

/** Reads the session of the browser, or undefined when it is not signed in. */
export async function readSession(client: EditorClient): Promise<Session | undefined> {
  const result = await client.call<Session>("GET", "/api/session");
  return result.ok ? result.data : undefined;
}

/**
 * Builds a redirect (303, so the browser follows it with GET) that also passes on the cookies
 * the API set during this request.
 */
export function redirect(client: EditorClient, location: string): Response {
  const headers = new Headers({ location, "cache-control": "no-store" });
  for (const cookie of client.setCookies) headers.append("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}

/**
 * Returns `path` when it is a path of this site (starting with one `/`), else the fallback, so a
 * return parameter never sends the browser to another host.
 */
export function safeReturnPath(path: string | null | undefined, fallback = "/dashboard/"): string {
  if (!path?.startsWith("/") || path.startsWith("//") || path.includes("\\")) {
    return fallback;
  }
  try {
    const url = new URL(path, "http://local.invalid");
    if (url.origin !== "http://local.invalid") return fallback;
    return `${url.pathname}${url.search}`;
  } catch {
    return fallback;
  }
}

/** Returns the sign-in address that comes back to the current page afterwards. */
export function signInPath(url: URL): string {
  return `/account/sign-in?return=${encodeURIComponent(`${url.pathname}${url.search}`)}`;
}

/** Returns the page an account of this role opens after sign-in. */
export function homeOf(account: SessionAccount): string {
  if (account.role === "officer") return "/review/";
  if (account.role === "helpdesk") return "/dashboard/helpdesk/";
  return "/dashboard/";
}
