/** OpenAPI 3.1 description of the editor API, generated from the route docs and zod schemas. */
import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "../http/errors.ts";
import type { RouteDoc } from "./route-doc.ts";

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", enum: Object.keys(ERROR_STATUS) },
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

function errorResponses(codes: readonly ErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_STATUS[code];
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

function operation(doc: RouteDoc): Record<string, unknown> {
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
    responses: { [String(doc.success.status)]: success, ...errorResponses(doc.errors) },
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

/** Builds the OpenAPI document for the given routes. */
export function buildOpenApiDocument(docs: readonly RouteDoc[], serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const doc of docs) {
    const path = openApiPath(doc.path);
    paths[path] ??= {};
    paths[path][doc.method] = operation(doc);
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
      schemas: { Error: errorSchema },
      securitySchemes: {
        sessionCookie: { type: "apiKey", in: "cookie", name: "editor_session" },
      },
    },
  };
}
