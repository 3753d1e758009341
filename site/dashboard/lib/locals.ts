/**
 * Values in `Astro.locals` of every dashboard page: the in-process editor API and the settings
 * the pages show. `scripts/dashboard.ts` fills them for each request.
 */
export interface DashboardLocals {
  /**
   * Sends a request to the editor API app (a Hono `app.request`), as from the client's own
   * connection so that rate limits count per client IP.
   */
  editorApi: (path: string, init: RequestInit) => Promise<Response>;
  /** True when OpenID Connect single sign-on is configured. */
  singleSignOn: boolean;
}
