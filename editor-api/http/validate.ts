/** Request validation with zod, failing with 400 INVALID_INPUT and one issue per field path. */
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";
import { ApiError, type Issue } from "./errors.ts";

/** Converts zod issues into the API's issue list. */
export function issuesFromZod(error: z.core.$ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === "symbol" ? String(part) : part)),
    code: issue.code,
    message: issue.message,
  }));
}

/** `zValidator` whose failures throw the API's INVALID_INPUT error. */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = issuesFromZod(result.error as z.core.$ZodError);
      const fields = [...new Set(issues.map((issue) => issue.path.join(".") || "(body)"))];
      throw new ApiError(
        "INVALID_INPUT",
        `Invalid request ${target}: check ${fields.join(", ")}.`,
        {
          issues,
        },
      );
    }
  });
}
