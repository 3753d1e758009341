import type { Hono } from "hono";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EditorEnv, EditorModule } from "./app.ts";
import { requireRole } from "./auth/session-middleware.ts";
import { startTestEditor, type TestClient, type TestEditor } from "./testing/test-editor.ts";

/** A module like the upload routes: reads a raw body of any size, for signed-in callers. */
const rawUploadModule: EditorModule = {
  docs: [
    {
      method: "put",
      path: "/api/test-uploads/:name",
      summary: "Count the bytes of a raw body",
      access: "signed-in",
      success: { status: 200, description: "Byte count" },
      errors: ["NOT_SIGNED_IN", "CSRF_REJECTED"],
    },
  ],
  register(api: Hono<EditorEnv>) {
    api.put("/api/test-uploads/:name", requireRole(), async (c) => {
      const bytes = (await c.req.arrayBuffer()).byteLength;
      return c.json({ name: c.req.param("name"), bytes, by: c.var.account?.username });
    });
  },
};

let editor: TestEditor;
let browser: TestClient;
beforeEach(async () => {
  editor = await startTestEditor({ modules: [rawUploadModule] });
  await editor.createAccount({ username: "Anna" });
  browser = editor.client();
  await browser.signIn("Anna");
});
afterEach(async () => {
  await editor.close();
});

describe("feature modules", () => {
  it("get the session and a raw body over 64 KB", async () => {
    const body = "x".repeat(200 * 1024);
    const response = await browser.request("PUT", "/api/test-uploads/logo.png", body, {
      headers: { "content-type": "application/octet-stream" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: "logo.png", bytes: 200 * 1024, by: "Anna" });
  });

  it("are CSRF-protected like core routes", async () => {
    const response = await browser.request("PUT", "/api/test-uploads/logo.png", "x", {
      csrf: false,
      headers: { "content-type": "application/octet-stream" },
    });
    expect(response.status).toBe(403);
  });

  it("appear in the OpenAPI document", async () => {
    const document = (await (await browser.get("/api/openapi.json")).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toContain("/api/test-uploads/{name}");
  });
});

describe("editor app mounted in a parent app", () => {
  it("keeps JSON errors and 404s under /api/", async () => {
    const { Hono } = await import("hono");
    const { createEditorApp } = await import("./app.ts");
    const parent = new Hono();
    parent.get("/", (c) => c.text("site"));
    parent.route("/", createEditorApp(editor.deps));

    expect(await (await parent.request("/")).text()).toBe("site");
    const unsigned = await parent.request("/api/session");
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: { code: "NOT_SIGNED_IN" } });
    const missing = await parent.request("/api/no-such-route");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    expect(missing.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
