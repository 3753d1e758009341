import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestClient } from "../testing/test-editor.ts";
import { DANCE_CARD, json, projectPath, put } from "./fixtures.ts";
import { type EditorialTest, startEditorialTest } from "./test-editorial.ts";

const ID = DANCE_CARD.id;
const RELATIVE = "projects/culture-2007-2013/2013-1234_001-001.md";

let test: EditorialTest;
let anna: TestClient;
let file: string;

beforeEach(async () => {
  test = await startEditorialTest();
  file = await test.addCard(DANCE_CARD);
  await test.importContactsFeed([[ID, "anna@ngo.example"]]);
  anna = await test.signedIn({ username: "Anna", email: "anna@ngo.example" });
});
afterEach(async () => {
  await test.close();
});

interface FileError {
  error: { code: string; message: string; file: string; issues: { message: string }[] };
}

const BROKEN: [string, (valid: string) => string | Uint8Array][] = [
  ["binary", () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe, 0x01])],
  ["empty", () => ""],
  ["invalid YAML", () => "---\ntitle: [unclosed\nid: : :\n---\nText\n"],
  ["missing title", (valid) => valid.replace(/^title: .*\n/m, "")],
];

describe("broken card file", () => {
  it.each(BROKEN)("%s file rejects read and write", async (_name, corrupt) => {
    const { version } = await json<{ version: number }>(await anna.get(projectPath(ID)));
    writeFileSync(file, corrupt(readFileSync(file, "utf8")));
    const broken = readFileSync(file);

    const read = await anna.get(projectPath(ID));
    expect(read.status).toBe(500);
    const body = await json<FileError>(read);
    expect(body.error.code).toBe("CARD_FILE_INVALID");
    expect(body.error.file).toBe(RELATIVE);
    expect(body.error.message).toContain(RELATIVE);
    expect(body.error.issues.length).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toContain(test.contentDir);

    const write = await put(anna, projectPath(ID, "/website"), {
      website: "www.dance.example",
      version,
    });
    expect(write.status).toBe(500);
    expect((await json<FileError>(write)).error.code).toBe("CARD_FILE_INVALID");
    expect(readFileSync(file)).toEqual(broken);
  });
});
