/**
 * Per-IP fixed-window rate limits kept in SQLite, so several processes that share the database
 * file share the counters.
 */

import type { MiddlewareHandler } from "hono";
import type { RateLimitName, RateLimitRule } from "../config.ts";
import type { Database } from "../db/database.ts";
import { prepared } from "../db/statements.ts";
import { inTransaction } from "../db/transaction.ts";
import type { EditorEnv } from "./context.ts";
import { ApiError } from "./errors.ts";

export type RateLimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts one hit for `key` in the current window and returns whether it is within the rule. */
export function consumeRateLimit(
  db: Database,
  key: string,
  rule: RateLimitRule,
  now: Date,
): RateLimitResult {
  const nowMs = now.getTime();
  const windowStart = nowMs - (nowMs % rule.windowMs);
  const count = inTransaction(db, () => {
    prepared(db, "DELETE FROM rate_limit_hits WHERE key = ? AND window_start < ?").run(
      key,
      windowStart,
    );
    const row = prepared(
      db,
      `INSERT INTO rate_limit_hits (key, window_start, count) VALUES (?, ?, 1)
         ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_hits.count + 1
         RETURNING count`,
    ).get(key, windowStart);
    return Number(row?.count);
  });
  if (count <= rule.limit) return { allowed: true };
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + rule.windowMs - nowMs) / 1000));
  return { allowed: false, retryAfterSeconds };
}

/** Middleware rejecting a client IP past the configured limit with 429 RATE_LIMITED. */
export function rateLimit(name: RateLimitName): MiddlewareHandler<EditorEnv> {
  return async (c, next) => {
    const { db, clock, config, logger } = c.var.deps;
    const rule = config.rateLimits[name];
    const result = consumeRateLimit(db, `${name}:${c.var.clientIp}`, rule, clock());
    if (!result.allowed) {
      logger.warn({ limit: name, retryAfterSeconds: result.retryAfterSeconds }, "rate limited");
      throw new ApiError(
        "RATE_LIMITED",
        `Too many ${name} requests from this address; retry after ${result.retryAfterSeconds} seconds.`,
        {
          details: { retryAfterSeconds: result.retryAfterSeconds },
          headers: { "Retry-After": String(result.retryAfterSeconds) },
        },
      );
    }
    await next();
  };
}
