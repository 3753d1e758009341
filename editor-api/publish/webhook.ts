/**
 * Rebuild by webhook, for sites built in CI: instead of building locally, a job POSTs a signed
 * JSON request. The body has the shape of GitHub's `repository_dispatch` request, so the URL can
 * be GitHub's dispatches endpoint (authenticated by a token header) or a relay that checks the
 * HMAC-SHA256 signature. See docs/ci-rebuild.md.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Logger } from "pino";
import type { RebuildJob } from "./queue.ts";

export const SIGNATURE_HEADER = "x-signature-256";

export interface WebhookOptions {
  url: string;
  /** Secret for the HMAC-SHA256 signature of the body. */
  secret: string;
  /** Extra headers, such as `authorization` for GitHub's API. Never logged. */
  headers?: Record<string, string>;
  /** `event_type` of the dispatch; `rebuild-site` by default. */
  eventType?: string;
  /** Time limit of one attempt, in milliseconds; 10 s by default. */
  timeoutMs?: number;
  /** Further attempts after a failed one; 2 by default. */
  retries?: number;
  /** Delay before the first retry in milliseconds; it doubles for each further retry. */
  retryDelayMs?: number;
  logger: Logger;
}

/** Returns the signature header value for `body`: `sha256=` and the hex HMAC-SHA256. */
export function signBody(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Checks a signature header against `body` in constant time. */
export function verifySignature(
  secret: string,
  body: string | Uint8Array,
  header: string,
): boolean {
  const expected = Buffer.from(signBody(secret, body));
  const received = Buffer.from(header);
  return expected.length === received.length && timingSafeEqual(expected, received);
}

/** Builds the dispatch body for a job. */
export function dispatchBody(job: RebuildJob, eventType = "rebuild-site"): string {
  return JSON.stringify({
    event_type: eventType,
    client_payload: {
      job_id: job.id,
      reason: job.reason,
      card_ids: job.cardIds,
      requested_at: job.requestedAt,
    },
  });
}

/** Creates a job runner that POSTs the dispatch, retrying on errors, timeouts and non-2xx. */
export function createWebhookRunner(options: WebhookOptions): (job: RebuildJob) => Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 1000;

  return async (job) => {
    const body = dispatchBody(job, options.eventType);
    const headers = {
      ...options.headers,
      "content-type": "application/json",
      "x-rebuild-job": String(job.id),
      [SIGNATURE_HEADER]: signBody(options.secret, body),
    };

    let lastError: Error | undefined;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await delay(retryDelayMs * 2 ** (attempt - 1));
      try {
        const response = await fetch(options.url, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.body?.cancel();
        if (response.ok) return;
        lastError = new Error(`rebuild webhook returned HTTP ${response.status}`);
      } catch (error) {
        const timedOut = (error as Error).name === "TimeoutError";
        lastError = timedOut
          ? new Error(`rebuild webhook timed out after ${timeoutMs} ms`)
          : new Error(`rebuild webhook request failed: ${(error as Error).message}`);
      }
      options.logger.warn(
        { jobId: job.id, attempt: attempt + 1, err: lastError.message },
        "rebuild webhook attempt failed",
      );
    }
    throw lastError ?? new Error("rebuild webhook failed");
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
