/**
 * Samples the resident set size (RSS) of a process and all its descendants from `/proc` (Linux
 * only). A case's own `process.resourceUsage().maxRSS` misses the processes it starts, such as
 * the Astro build and the Pagefind binary under the build CLI.
 *
 * The samples are taken every `intervalMs` (250 ms by default), so a peak shorter than the
 * interval can fall between two samples and go unseen: the peaks are lower bounds.
 */
import { readdir, readFile } from "node:fs/promises";

/** One process of the tree at one sample. */
export type ProcessRss = { pid: number; command: string; rssKiB: number };

/** Highest figures seen over all samples of a process tree. */
export type TreePeak = {
  /** Highest sum of RSS over the whole tree at one sample, in KiB. */
  totalKiB: number;
  /** Highest RSS of a single process of the tree, in KiB. */
  singleKiB: number;
  /** Command name (`comm`) of the process with the highest single RSS. */
  singleCommand: string;
  samples: number;
};

/** Parent pid and command name from `/proc/<pid>/stat`, or undefined once the process is gone. */
async function readStat(pid: number): Promise<{ ppid: number; command: string } | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name sits in parentheses and may itself contain spaces and parentheses, so the
  // fields are read after the last closing one: state, then the parent pid.
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  const fields = text.slice(close + 2).split(" ");
  return { ppid: Number(fields[1]), command: text.slice(open + 1, close) };
}

/** Reads `VmRSS` of `/proc/<pid>/status` in KiB, or 0 for a zombie or a process that is gone. */
async function readRssKiB(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Lists `rootPid` and every descendant alive now, each with its current RSS. */
export async function readProcessTree(rootPid: number): Promise<ProcessRss[]> {
  const pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name)).map(Number);
  const stats = await Promise.all(pids.map(async (pid) => ({ pid, stat: await readStat(pid) })));

  const children = new Map<number, number[]>();
  const commands = new Map<number, string>();
  for (const { pid, stat } of stats) {
    if (!stat) continue;
    commands.set(pid, stat.command);
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push(pid);
    children.set(stat.ppid, siblings);
  }
  if (!commands.has(rootPid)) return [];

  const tree: number[] = [];
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return Promise.all(
    tree.map(async (pid) => ({
      pid,
      command: commands.get(pid) ?? "",
      rssKiB: await readRssKiB(pid),
    })),
  );
}

/**
 * Starts sampling the tree under `rootPid` every `intervalMs`. `stop()` takes a last sample and
 * returns the peaks. A sample still running when the next one is due is not overlapped: that
 * tick is skipped.
 */
export function sampleProcessTree(
  rootPid: number,
  intervalMs = 250,
): { stop(): Promise<TreePeak> } {
  const peak: TreePeak = { totalKiB: 0, singleKiB: 0, singleCommand: "", samples: 0 };
  let running: Promise<void> | undefined;

  const sample = async () => {
    const processes = await readProcessTree(rootPid);
    if (processes.length === 0) return;
    peak.samples++;
    let total = 0;
    for (const entry of processes) {
      total += entry.rssKiB;
      if (entry.rssKiB > peak.singleKiB) {
        peak.singleKiB = entry.rssKiB;
        peak.singleCommand = entry.command;
      }
    }
    peak.totalKiB = Math.max(peak.totalKiB, total);
  };
  const tick = () => {
    if (running) return;
    running = sample().finally(() => {
      running = undefined;
    });
  };

  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await sample();
      return { ...peak };
    },
  };
}
