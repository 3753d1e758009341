/** OpenAPI 3.1 description of the editor API, generated from the route docs and zod schemas. */
import { z } from "zod";
import { ERROR_STATUS } from "../http/errors.ts";
import type { RouteDoc } from "./route-doc.ts";

function errorSchema(codes: string[]) {
  return {
    type: "object",
    required: ["error"],
    properties: {
      error: {
        type: "object",
        required: ["code", "message"],
        properties: {
          code: { type: "string", enum: codes },
          message: { type: "string" },
          issues: {
            type: "array",
            items: {
              type: "object",
              required: ["path", "code", "message"],
              properties: {
                path: { type: "array", items: { type: ["string", "integer"] } },
                code: { type: "string" },
                message: { type: "string" },
              },
            },
          },
        },
      },
    },
  };
}

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
  });
  return rest;
}

/** Converts a Hono path (`/accounts/:id`) to an OpenAPI path (`/accounts/{id}`). */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

type StatusTable = Readonly<Record<string, number>>;

function errorResponses(doc: RouteDoc, statusOf: StatusTable): Record<string, unknown> {
  const byStatus = new Map<number, string[]>();
  for (const code of doc.errors) {
    const status = statusOf[code];
    if (status === undefined) {
      throw new Error(
        `Route ${doc.method.toUpperCase()} ${doc.path} lists the error code ${code}, which has no status: add it to the module's errorStatus`,
      );
    }
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, unknown> = {};
  for (const [status, statusCodes] of byStatus) {
    responses[String(status)] = {
      description: `Error: ${statusCodes.join(", ")}`,
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  return responses;
}

function operation(doc: RouteDoc, statusOf: StatusTable): Record<string, unknown> {
  const parameters: Record<string, unknown>[] = [...doc.path.matchAll(/:([A-Za-z0-9_]+)/g)].map(
    (match) => ({
      name: match[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }),
  );
  if (doc.query) {
    const schema = jsonSchema(doc.query, "input") as {
      properties?: Record<string, unknown>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      parameters.push({
        name,
        in: "query",
        required: schema.required?.includes(name) ?? false,
        schema: property as { type: string },
      });
    }
  }
  const success: Record<string, unknown> = { description: doc.success.description };
  if (doc.success.schema) {
    success.content = { "application/json": { schema: jsonSchema(doc.success.schema, "output") } };
  }
  const result: Record<string, unknown> = {
    summary: doc.summary,
    "x-access": doc.access,
    responses: { [String(doc.success.status)]: success, ...errorResponses(doc, statusOf) },
  };
  if (parameters.length > 0) result.parameters = parameters;
  if (doc.body) {
    result.requestBody = {
      required: true,
      content: { "application/json": { schema: jsonSchema(doc.body, "input") } },
    };
  }
  if (doc.access !== "public") result.security = [{ sessionCookie: [] }];
  return result;
}

/**
 * Builds the OpenAPI document for the given routes. `extraStatus` gives the status of error
 * codes that modules add; a route listing a code without a status throws.
 */
export function buildOpenApiDocument(
  docs: readonly RouteDoc[],
  serverUrl: string,
  extraStatus: StatusTable = {},
) {
  const statusOf: StatusTable = { ...ERROR_STATUS, ...extraStatus };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const doc of docs) {
    const path = openApiPath(doc.path);
    paths[path] ??= {};
    paths[path][doc.method] = operation(doc, statusOf);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "EU project results platform: editor API",
      version: "1",
      description:
        "Accounts, sessions and editing of project cards. Writes with a session cookie need the X-CSRF-Token header (csrfToken from GET /api/session) and an Origin of the site itself.",
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: { Error: errorSchema(Object.keys(statusOf)) },
      securitySchemes: {
        sessionCookie: { type: "apiKey", in: "cookie", name: "editor_session" },
      },
    },
  };
}
