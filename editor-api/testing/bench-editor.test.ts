import { describe, expect, it } from "vitest";
import { createBenchEditor } from "./bench-editor.ts";

describe("createBenchEditor", () => {
  it("returns a cookie that reads the session", async () => {
    const editor = await createBenchEditor();
    try {
      const response = await editor.app.request("/api/session", {
        headers: { cookie: editor.cookie },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { account: { username: string }; csrfToken: string };
      expect(body.account.username).toBe("BenchUser");
      expect(body.csrfToken).toBe(editor.csrfToken);
    } finally {
      await editor.close();
    }
  });

  it("listens on 127.0.0.1 when asked", async () => {
    const editor = await createBenchEditor({ listen: true });
    try {
      expect(editor.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${editor.url}/api/session`, {
        headers: { cookie: editor.cookie },
      });
      expect(response.status).toBe(200);
    } finally {
      await editor.close();
    }
  });
});
