import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestEditor, type TestEditor } from "../testing/test-editor.ts";
import { buildOpenApiDocument, openApiPath } from "./document.ts";

let editor: TestEditor;
beforeEach(async () => {
  editor = await startTestEditor();
});
afterEach(async () => {
  await editor.close();
});

type OpenApi = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
  >;
};

async function fetchDocument(): Promise<OpenApi> {
  const response = await editor.client().get("/api/openapi.json");
  expect(response.status).toBe(200);
  return (await response.json()) as OpenApi;
}

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1", async () => {
    expect((await fetchDocument()).openapi).toBe("3.1.0");
  });

  it("lists every registered route", async () => {
    const document = await fetchDocument();
    const { createEditorApp } = await import("../app.ts");
    const app = createEditorApp(editor.deps);
    const registered = app.routes
      .filter((route) => route.method !== "ALL")
      .map((route) => `${route.method.toLowerCase()} ${openApiPath(route.path)}`);
    expect(registered.length).toBeGreaterThan(10);
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method} ${path}`),
    );
    for (const route of new Set(registered)) expect(documented).toContain(route);
  });

  it("describes request bodies from the zod schemas", async () => {
    const document = await fetchDocument();
    const register = document.paths["/api/accounts"]?.post;
    const schema = register?.requestBody?.content["application/json"]?.schema as {
      properties: Record<string, { maxLength?: number; pattern?: string }>;
      required: string[];
    };
    expect(schema.required).toEqual(["username", "firstName", "lastName", "email", "password"]);
    expect(schema.properties.username?.maxLength).toBe(32);
    expect(schema.properties.password?.maxLength).toBe(256);
  });
});

describe("buildOpenApiDocument", () => {
  const doc = {
    method: "post",
    path: "/api/projects/:id/submit",
    summary: "Submit for validation",
    access: "signed-in",
    success: { status: 200, description: "Submitted" },
    errors: ["NOT_SIGNED_IN", "PROJECT_LOCKED"],
  } as const;

  it("takes module error codes with their status", () => {
    const document = buildOpenApiDocument([doc], "https://results.example.eu", {
      PROJECT_LOCKED: 409,
    });
    const operation = document.paths["/api/projects/{id}/submit"]?.post as {
      responses: Record<string, { description: string }>;
    };
    expect(operation.responses["409"]?.description).toBe("Error: PROJECT_LOCKED");
    expect(operation.responses["401"]?.description).toBe("Error: NOT_SIGNED_IN");
  });

  it("throws on a code without a status", () => {
    expect(() => buildOpenApiDocument([doc], "https://results.example.eu")).toThrow(
      /PROJECT_LOCKED, which has no status/,
    );
  });
});
