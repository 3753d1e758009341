/**
 * The GitHub Actions workflows parse as YAML and refer to what exists: npm scripts in
 * package.json, the called workflow file, and the `changed` output that the scheduled import
 * command writes.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const WORKFLOWS = join(ROOT, ".github/workflows");

interface Step {
  run?: string;
  uses?: string;
  id?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { steps?: Step[]; uses?: string; outputs?: Record<string, string> }>;
}

async function load(name: string): Promise<Workflow> {
  return yaml.load(await readFile(join(WORKFLOWS, name), "utf8")) as Workflow;
}

async function npmScripts(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
  return Object.keys(manifest.scripts);
}

function runLines(workflow: Workflow): string[] {
  return Object.values(workflow.jobs).flatMap((job) =>
    (job.steps ?? []).flatMap((step) => step.run?.split("\n") ?? []),
  );
}

describe("workflows", () => {
  for (const name of ["rebuild.yml", "daily-import.yml"]) {
    it(`${name} runs existing npm scripts`, async () => {
      const scripts = await npmScripts();
      const used = runLines(await load(name)).flatMap((line) => [
        ...line.matchAll(/npm run ([\w:-]+)/g),
      ]);
      expect(used.length).toBeGreaterThan(0);
      for (const match of used) expect(scripts).toContain(match[1]);
    });
  }

  it("rebuild.yml listens for the dispatch", async () => {
    const workflow = await load("rebuild.yml");
    expect(workflow.on.repository_dispatch).toEqual({ types: ["rebuild-site"] });
    expect(Object.keys(workflow.on)).toContain("workflow_call");
    expect(Object.keys(workflow.on)).toContain("schedule");
  });

  it("daily-import.yml builds only after changes", async () => {
    const workflow = await load("daily-import.yml");
    expect(workflow.jobs.import.outputs?.changed).toContain("steps.import.outputs.changed");
    expect(workflow.jobs.import.steps?.some((step) => step.id === "import")).toBe(true);
    expect(workflow.jobs.build.uses).toBe("./.github/workflows/rebuild.yml");
    expect(JSON.stringify(workflow.jobs.build)).toContain("needs.import.outputs.changed == 'true'");
  });
});
