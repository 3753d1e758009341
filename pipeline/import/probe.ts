/**
 * Checks that the outputs of an import can be written before it starts, by creating and removing
 * a probe file in each folder. A read-only disk or a wrong path then fails in one line, and not
 * once per row or after the run.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** Creates `folder` if needed, writes a probe file in it and removes it. Returns the error code. */
async function probeFolder(folder: string): Promise<string | undefined> {
  const probe = join(folder, `.write-probe-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    await mkdir(folder, { recursive: true });
    await writeFile(probe, "");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // mkdir reports EEXIST when the folder's path is taken by a file.
    if (code === "EEXIST") return "ENOTDIR";
    return typeof code === "string" ? code : "WRITE_FAILED";
  }
  await rm(probe, { force: true });
  return undefined;
}

/**
 * Checks that the cards can be written under `contentDir/projects`. Returns a message for the
 * user, or undefined when the folder is writable. The folder is left created.
 */
export async function checkContentFolder(contentDir: string): Promise<string | undefined> {
  const code = await probeFolder(join(contentDir, "projects"));
  if (code === undefined) return undefined;
  return `content folder ${contentDir} is not writable (${code}): choose another --content or fix its permissions`;
}

/**
 * Checks that a report can be written at `reportPath` by probing its folder. Returns a message
 * for the user, or undefined when it can.
 */
export async function checkReportPath(reportPath: string): Promise<string | undefined> {
  const existing = await stat(reportPath).catch(() => undefined);
  const code = existing?.isDirectory() ? "EISDIR" : await probeFolder(dirname(reportPath));
  if (code === undefined) return undefined;
  return `report ${reportPath} cannot be written (${code}): choose another --report or fix the folder's permissions`;
}
