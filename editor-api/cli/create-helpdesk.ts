/**
 * Creates a helpdesk account from the command line, for the first one in a new installation.
 *
 *   node editor-api/cli/create-helpdesk.ts --username NAME --email ADDRESS
 *       [--first-name TEXT] [--last-name TEXT] [--password-stdin]
 *
 * Reads the same environment as the server (PUBLIC_URL, DATABASE_PATH, SMTP_URL, OUTBOX_DIR).
 * Without --password-stdin it prints a one-time set-password link (also mailed); with it, the
 * password is read from standard input and checked like any other.
 */
import { text } from "node:stream/consumers";
import { parseArgs } from "node:util";
import pino from "pino";
import { z } from "zod";
import {
  emailSchema,
  passwordSchema,
  personNameSchema,
  usernameSchema,
} from "../accounts/fields.ts";
import { createStaffAccount } from "../accounts/staff-account.ts";
import { hashPassword } from "../auth/password-hash.ts";
import { checkPasswordPolicy } from "../auth/password-policy.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { ApiError } from "../http/errors.ts";
import { issuesFromZod } from "../http/validate.ts";
import { createEditorDeps } from "../server.ts";

const USAGE =
  "Usage: node editor-api/cli/create-helpdesk.ts --username NAME --email ADDRESS [--first-name TEXT] [--last-name TEXT] [--password-stdin]";

const argsSchema = z.object({
  username: usernameSchema,
  email: emailSchema,
  firstName: personNameSchema,
  lastName: personNameSchema,
});

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse().values;
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
  const parsed = argsSchema.safeParse({
    username: values.username,
    email: values.email,
    firstName: values["first-name"],
    lastName: values["last-name"],
  });
  if (!parsed.success) {
    const lines = issuesFromZod(parsed.error).map(
      (issue) => `--${issue.path.join(".")}: ${issue.message}`,
    );
    fail(`${lines.join("\n")}\n${USAGE}`, 2);
  }
  const input = parsed.data;

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
  // Logs go to stderr so stdout carries only the link.
  const logger = pino({ name: "create-helpdesk" }, pino.destination(2));
  const deps = createEditorDeps(config, logger);

  let passwordHash: string | undefined;
  if (values["password-stdin"]) {
    const password = (await text(process.stdin)).replace(/\r?\n$/, "");
    const length = passwordSchema.safeParse(password);
    const problems = length.success
      ? checkPasswordPolicy(password, input).map((issue) => issue.message)
      : length.error.issues.map((issue) => issue.message);
    if (problems.length > 0) fail(`Password rejected:\n  ${problems.join("\n  ")}`);
    passwordHash = await hashPassword(password, config.passwordHashCost);
  }

  try {
    const created = await createStaffAccount(deps, {
      ...input,
      role: "helpdesk",
      agency: null,
      passwordHash,
    });
    if (created.setPasswordLink) {
      process.stdout.write(
        `Created helpdesk account ${created.account.username} (id ${created.account.id}).\nSet its password within 72 hours at:\n${created.setPasswordLink}\n`,
      );
    } else {
      process.stdout.write(
        `Created helpdesk account ${created.account.username} (id ${created.account.id}) with the password from stdin.\n`,
      );
    }
  } catch (error) {
    if (error instanceof ApiError) fail(error.message);
    throw error;
  } finally {
    deps.db.close();
  }
}

function parse() {
  return parseArgs({
    options: {
      username: { type: "string" },
      email: { type: "string" },
      "first-name": { type: "string", default: "Helpdesk" },
      "last-name": { type: "string", default: "Team" },
      "password-stdin": { type: "boolean", default: false },
    },
    strict: true,
  });
}

if (import.meta.main) await main();
