/**
 * Command-line argument checks shared by the backup and restore CLIs. A wrong argument prints one
 * line naming it and what to do, then the usage line, and the CLI exits with code 2.
 */
import { accessSync, constants, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** Exit code for wrong command-line arguments, as for wrong settings of `npm start`. */
export const EXIT_USAGE = 2;

/** A wrong command-line argument, with a message that names it and what to do. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Returns the option or argument quoted in a `node:util` parseArgs message, such as `--outt`. */
function quotedArgument(message: string): string {
  return message.match(/'([^']*)'/)?.[1] ?? message;
}

/**
 * Converts an error of `node:util` parseArgs into a `UsageError` with a one-line message, and
 * returns any other error unchanged.
 */
export function toUsageError(error: unknown): unknown {
  const { code, message } = error as { code?: string; message?: string };
  const quoted = quotedArgument(message ?? "");
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return new UsageError(`unknown option ${quoted}; remove it or correct its spelling`);
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const option = quoted.split(" ")[0];
      return /argument missing/.test(message ?? "")
        ? new UsageError(`option ${option} is missing its value; write ${option} VALUE`)
        : new UsageError(`option ${option} takes no value; remove the value`);
    }
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return new UsageError(`unexpected argument ${quoted}; remove it`);
    default:
      return error;
  }
}

/**
 * Checks that `path`, given as option `option`, is a writable folder or can be created below the
 * nearest folder that exists. Throws a `UsageError` otherwise. Creates nothing.
 */
export function checkOutputFolder(option: string, path: string): void {
  let existing = resolve(path);
  for (;;) {
    try {
      if (!statSync(existing).isDirectory()) {
        throw new UsageError(
          `${option} ${path}: ${existing} is not a folder; give a folder that exists or can be created`,
        );
      }
      break;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR means a parent is a file, which the next loop iteration reports as not a folder.
      const absent = code === "ENOENT" || code === "ENOTDIR";
      if (!absent || dirname(existing) === existing) {
        throw new UsageError(
          `${option} ${path}: ${existing} cannot be read (${code}); give a readable folder`,
        );
      }
      existing = dirname(existing);
    }
  }
  try {
    accessSync(existing, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${option} ${path}: folder ${existing} is not writable (${code}); give a writable folder`,
    );
  }
}

/** Checks that `path` is a folder with the file `manifest`, as written by the backup CLI. */
export function checkBackupFolder(path: string, manifest: string): void {
  const hint = "give a folder written by npm run backup, such as var/backups/backup-<time>";
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "not found" : `cannot be read (${code})`;
    throw new UsageError(`backup folder ${path} ${reason}; ${hint}`);
  }
  if (!isFolder) throw new UsageError(`backup folder ${path} is not a folder; ${hint}`);
  try {
    statSync(resolve(path, manifest));
  } catch {
    throw new UsageError(`${manifest} not found in ${path}, so it is not a backup folder; ${hint}`);
  }
}

/** Prints the problem of a `UsageError` and the usage line to stderr, and returns `EXIT_USAGE`. */
export function reportUsageError(error: UsageError, usage: string): number {
  process.stderr.write(`${error.message}\n${usage}\n`);
  return EXIT_USAGE;
}
