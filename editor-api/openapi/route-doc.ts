/** Description of one API route, from which the OpenAPI document is generated. */
import type { z } from "zod";
import type { ErrorCode } from "../http/errors.ts";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export type RouteDoc = {
  method: HttpMethod;
  /** Hono path, with `:name` parameters. */
  path: string;
  summary: string;
  /** Callers allowed: anyone, any signed-in account, or the roles listed. */
  access: "public" | "signed-in" | readonly string[];
  body?: z.ZodType;
  query?: z.ZodType;
  /** Success status and what it returns. */
  success: { status: number; description: string; schema?: z.ZodType };
  /** Codes from `ERROR_STATUS`, or from the module's own `errorStatus`. */
  errors: readonly (ErrorCode | (string & {}))[];
};

/** A feature's routes: its Hono sub-app registration and their documentation. */
export type EditorModule = {
  docs: readonly RouteDoc[];
  /** HTTP status of each error code the module adds to those in `ERROR_STATUS`. */
  errorStatus?: Readonly<Record<string, number>>;
  register(api: import("hono").Hono<import("../http/context.ts").EditorEnv>): void;
};
