/**
 * A lock file that keeps two scheduled imports on one machine from running at once (the
 * server's scheduler and a manual `npm run import:scheduled`). The file contains the holder's
 * process id, so a lock left by a killed process is taken over.
 */
import { open, readFile, rm } from "node:fs/promises";

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means that the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Creates the lock file at `path` and returns its release function, or returns undefined when a
 * running process holds it.
 */
export async function acquireLock(path: string): Promise<(() => Promise<void>) | undefined> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
    if (Number.isInteger(holder) && isRunning(holder)) return undefined;
    // The holder is gone or the file is empty, so remove its lock and try once more.
    await rm(path, { force: true });
  }
  return undefined;
}
