import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { readProcessTree, sampleProcessTree } from "./process-tree.ts";

const MIB = 1024;
/** A grandchild fills a 100 MiB buffer, so its pages are resident, and reports when it is done. */
const GRANDCHILD = `const held = Buffer.alloc(100 * 1024 * 1024, 1);
process.stdout.write("ready\\n");
setInterval(() => held[0]++, 1000);`;
/** The child only starts the grandchild and passes its output on. */
const CHILD = `const { spawn } = require("node:child_process");
spawn(process.execPath, ["-e", ${JSON.stringify(GRANDCHILD)}], { stdio: "inherit" });
setInterval(() => {}, 1000);`;

let child: ChildProcess | undefined;

afterEach(async () => {
  const started = child;
  child = undefined;
  if (!started || started.exitCode !== null || started.signalCode !== null) return;
  // A negative pid signals the whole process group, the grandchild included.
  const exited = once(started, "exit");
  process.kill(-(started.pid as number), "SIGKILL");
  await exited;
});

async function startTree(): Promise<number> {
  child = spawn(process.execPath, ["-e", CHILD], {
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const stdout = child.stdout as NodeJS.ReadableStream;
  let output = "";
  for await (const chunk of stdout) {
    output += chunk;
    if (output.includes("ready")) break;
  }
  return child.pid as number;
}

describe("process tree sampling", () => {
  it("lists the child and its grandchild", async () => {
    const pid = await startTree();
    const tree = await readProcessTree(pid);
    expect(tree).toHaveLength(2);
    expect(tree[0]?.pid).toBe(pid);
    expect(tree[1]?.rssKiB).toBeGreaterThan(100 * MIB);
  });

  it("sums the RSS of descendants", async () => {
    const pid = await startTree();
    const sampler = sampleProcessTree(pid, 50);
    const peak = await sampler.stop();
    expect(peak.samples).toBeGreaterThan(0);
    expect(peak.singleKiB).toBeGreaterThan(100 * MIB);
    expect(peak.totalKiB).toBeGreaterThan(peak.singleKiB);
  });

  it("returns nothing for a missing process", async () => {
    const finished = spawn(process.execPath, ["-e", ""]);
    await once(finished, "exit");
    expect(await readProcessTree(finished.pid as number)).toEqual([]);
  });
});
