/** Helpdesk routes: create officer and helpdesk accounts, list accounts, set security flags. */
import type { Hono } from "hono";
import { z } from "zod";
import { requireRole } from "../auth/session-middleware.ts";
import { deleteAccountSessions } from "../auth/sessions.ts";
import type { EditorEnv } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import { validate } from "../http/validate.ts";
import type { EditorModule } from "../openapi/route-doc.ts";
import {
  accountView,
  findAccountById,
  listAccounts,
  ROLES,
  updateAccountFlags,
} from "./account.ts";
import { agencySchema, emailSchema, personNameSchema, usernameSchema } from "./fields.ts";
import { createStaffAccount } from "./staff-account.ts";

export const staffAccountBody = z
  .object({
    username: usernameSchema,
    firstName: personNameSchema,
    lastName: personNameSchema,
    email: emailSchema,
    role: z.enum(["officer", "helpdesk"]),
    /** Required for officers, absent for helpdesk accounts. */
    agency: agencySchema.optional(),
  })
  .superRefine((value, context) => {
    if (value.role === "officer" && !value.agency) {
      context.addIssue({
        code: "custom",
        path: ["agency"],
        message: "An officer needs a managing agency: EACEA or a National Agency code like DE02.",
      });
    }
    if (value.role === "helpdesk" && value.agency) {
      context.addIssue({
        code: "custom",
        path: ["agency"],
        message: "A helpdesk account has no managing agency; leave agency out.",
      });
    }
  });

export const accountFlagsBody = z
  .object({
    heightenedSecurity: z.boolean().optional(),
    passwordLoginDisabled: z.boolean().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, "Send at least one flag to change.");

const accountListQuery = z.object({
  role: z.enum(ROLES).optional(),
  agency: agencySchema.optional(),
});

const accountIdParam = z.object({ id: z.coerce.number().int().positive() });

const accountSchema = z.object({
  id: z.number(),
  username: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  role: z.string(),
  agency: z.string().nullable(),
  heightenedSecurity: z.boolean(),
  passwordLoginDisabled: z.boolean(),
});

export const staffModule: EditorModule = {
  docs: [
    {
      method: "post",
      path: "/api/staff/accounts",
      summary: "Create an officer or helpdesk account; its owner gets a set-password link",
      access: ["helpdesk"],
      body: staffAccountBody,
      success: { status: 201, description: "Account created", schema: accountSchema },
      errors: ["INVALID_INPUT", "NOT_SIGNED_IN", "FORBIDDEN", "CONFLICT", "CSRF_REJECTED"],
    },
    {
      method: "get",
      path: "/api/staff/accounts",
      summary: "List accounts, optionally of one role (?role=officer) or agency (?agency=DE02)",
      access: ["helpdesk"],
      query: accountListQuery,
      success: {
        status: 200,
        description: "Accounts sorted by username",
        schema: z.object({ accounts: z.array(accountSchema) }),
      },
      errors: ["INVALID_INPUT", "NOT_SIGNED_IN", "FORBIDDEN"],
    },
    {
      method: "patch",
      path: "/api/staff/accounts/:id",
      summary: "Set heightenedSecurity or passwordLoginDisabled on an account",
      access: ["helpdesk"],
      body: accountFlagsBody,
      success: { status: 200, description: "Account updated", schema: accountSchema },
      errors: ["INVALID_INPUT", "NOT_SIGNED_IN", "FORBIDDEN", "NOT_FOUND", "CSRF_REJECTED"],
    },
  ],
  register(api: Hono<EditorEnv>) {
    api.post(
      "/api/staff/accounts",
      requireRole("helpdesk"),
      validate("json", staffAccountBody),
      async (c) => {
        const deps = c.var.deps;
        const input = c.req.valid("json");
        const created = await createStaffAccount(deps, { ...input, agency: input.agency ?? null });
        deps.logger.info(
          { accountId: created.account.id, role: input.role, by: c.var.account?.id },
          "staff account created",
        );
        return c.json(accountView(created.account), 201);
      },
    );

    api.get(
      "/api/staff/accounts",
      requireRole("helpdesk"),
      validate("query", accountListQuery),
      (c) => {
        const accounts = listAccounts(c.var.deps.db, c.req.valid("query"));
        return c.json({ accounts: accounts.map(accountView) });
      },
    );

    api.patch(
      "/api/staff/accounts/:id",
      requireRole("helpdesk"),
      validate("param", accountIdParam),
      validate("json", accountFlagsBody),
      (c) => {
        const { db, logger } = c.var.deps;
        const { id } = c.req.valid("param");
        if (!findAccountById(db, id)) {
          throw new ApiError("NOT_FOUND", `No account has the id ${id}; check the id.`);
        }
        const flags = c.req.valid("json");
        updateAccountFlags(db, id, flags);
        // Stricter rules apply from the next sign-in.
        if (flags.heightenedSecurity || flags.passwordLoginDisabled) deleteAccountSessions(db, id);
        logger.info({ accountId: id, flags, by: c.var.account?.id }, "account flags changed");
        const account = findAccountById(db, id);
        if (!account) throw new Error(`account ${id} vanished during update`);
        return c.json(accountView(account));
      },
    );
  },
};
