/** Cards and helpers shared by the editorial tests. */
import type { CardInput } from "../../pipeline/card/index.ts";
import type { TestClient } from "../testing/test-editor.ts";

/** A Culture card of the executive agency that ends on 31 December 2026. */
export const DANCE_CARD: CardInput = {
  id: "2013-1234/001-001",
  programme: "Culture (2007-2013)",
  title: "Dance across borders",
  agency: "EACEA",
  endDate: "2026-12-31",
  coordinator: { name: "P.A.R.T.S.", country: "BE" },
  partners: [
    { name: "Tanzhaus", country: "DE" },
    { name: "Dansens Hus", country: "SE" },
  ],
  summary: "Choreographers from three countries tour a shared piece.",
};

/** A card of a National Agency, for the callers who must not see the first one. */
export const OTHER_CARD: CardInput = {
  id: "2016-1-DE02-KA204-000001",
  programme: "Erasmus+",
  title: "Adult literacy circles",
  agency: "DE02",
  endDate: "2026-08-31",
  summary: "",
};

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

export async function errorCode(response: Response): Promise<string> {
  return (await json<{ error: { code: string } }>(response)).error.code;
}

/** Sends a PUT with a JSON body through the client's cookie jar and CSRF token. */
export function put(client: TestClient, pathname: string, body: unknown) {
  return client.request("PUT", pathname, body);
}

export function remove(client: TestClient, pathname: string, body?: unknown) {
  return client.request("DELETE", pathname, body);
}

export function projectPath(id: string, rest = ""): string {
  return `/api/projects/${encodeURIComponent(id)}${rest}`;
}
