import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  BUILD_STATE_VERSION,
  claimBuildState,
  readBuildState,
  readStateCatalogue,
  writeBuildState,
} from "./build-state.ts";
import { writeIndexFile } from "./catalogue-index.ts";

let root: string;
let outDir: string;

const entry = {
  file: "/content/projects/erasmus-plus/1.md",
  url: "/projects/erasmus-plus/1/",
  id: "1",
  programme: "Erasmus+",
  programmeSlug: "erasmus-plus",
  title: "One",
  countries: [],
  goodPractice: false,
  successStory: false,
};

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "build-state-"));
  outDir = join(root, "dist");
  await writeBuildState(
    outDir,
    {
      rendererKey: "0123456789abcdef",
      siteUrl: "http://127.0.0.1:4321",
      contentDir: join(root, "content"),
      siteDir: outDir,
      pagesPerSearchShard: 50_000,
      builtAt: "2026-12-04T11:59:00.000Z",
      publishedCards: {},
    },
    (path) => writeIndexFile(path, [entry]),
    new Date("2026-12-04T12:00:00Z"),
  );
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("build state", () => {
  test("reads what was written", async () => {
    const state = await readBuildState(outDir);
    expect(state?.version).toBe(BUILD_STATE_VERSION);
    expect(state?.updatedAt).toBe("2026-12-04T12:00:00.000Z");
    if (!state) return;
    expect(await readStateCatalogue(outDir, state)).toEqual([entry]);
  });

  test("claim succeeds only once", async () => {
    const [first, second] = await Promise.all([claimBuildState(outDir), claimBuildState(outDir)]);
    const claims = [first, second].filter((state) => state !== undefined);
    expect(claims).toHaveLength(1);
    expect(await readBuildState(outDir)).toBeUndefined();
  });

  test("claimed catalogue stays readable", async () => {
    const state = await claimBuildState(outDir);
    expect(state).toBeDefined();
    if (!state) return;
    expect(await readStateCatalogue(outDir, state)).toEqual([entry]);
  });
});
