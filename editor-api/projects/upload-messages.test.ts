import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestClient } from "../testing/test-editor.ts";
import { DANCE_CARD, json, projectPath } from "./fixtures.ts";
import { type EditorialTest, startEditorialTest, upload } from "./test-editorial.ts";

const ID = DANCE_CARD.id;

let test: EditorialTest;
let anna: TestClient;

beforeEach(async () => {
  test = await startEditorialTest();
  await test.addCard(DANCE_CARD);
  await test.importContactsFeed([[ID, "anna@ngo.example"]]);
  anna = await test.signedIn({ username: "Anna", email: "anna@ngo.example" });
});
afterEach(async () => {
  await test.close();
});

interface ErrorBody {
  error: { code: string; message: string };
}

/** Sends a logo upload with the given extra headers through Anna's session. */
function sendLogo(body: BodyInit, headers: Record<string, string>): Promise<Response> {
  const url = new URL(projectPath(ID, "/logo"), anna.baseUrl);
  return fetch(url, {
    method: "PUT",
    body,
    headers: {
      origin: anna.baseUrl,
      cookie: anna.jar.header(url) ?? "",
      "x-csrf-token": anna.csrfToken ?? "",
      ...headers,
    },
  });
}

describe("upload messages", () => {
  it("keep the file name as sent", async () => {
    // A PNG signature followed by bytes that no decoder accepts.
    const broken = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(64, 0x01),
    ]);
    const response = await upload(anna, projectPath(ID, "/logo"), broken, {
      fileName: "bomb.png",
      version: 1,
    });
    expect(response.status).toBe(422);
    const { error } = await json<ErrorBody>(response);
    expect(error.code).toBe("IMAGE_INVALID");
    expect(error.message).toContain("bomb.png");
    expect(error.message).not.toContain("Bomb.png");
  });

  it("reject a multipart logo upload", async () => {
    const form = new FormData();
    form.append("file", new Blob([Buffer.from("GIF89a")], { type: "image/gif" }), "logo.gif");
    const response = await sendLogo(form, { "if-match": '"1"' });
    expect(response.status).toBe(400);
    const { error } = await json<ErrorBody>(response);
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toContain(
      "send the file as the raw request body with its Content-Type (multipart is not accepted on this route)",
    );
    expect(error.message).not.toContain("unknown");
  });

  it("quote a version past the safe integers", async () => {
    const response = await sendLogo(Buffer.from("GIF89a"), {
      "content-type": "image/gif",
      "if-match": '"99999999999999999999999"',
    });
    expect(response.status).toBe(428);
    const { error } = await json<ErrorBody>(response);
    expect(error.code).toBe("VERSION_REQUIRED");
    expect(error.message).toContain("99999999999999999999999");
    expect(error.message).not.toContain("1e+23");
  });
});
