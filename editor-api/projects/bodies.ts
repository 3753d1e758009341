/** Zod schemas of the editorial request and response bodies, shared with the OpenAPI document. */
import type { Context } from "hono";
import { z } from "zod";
import { ApiError } from "../http/errors.ts";
import { issuesFromZod } from "../http/validate.ts";

/** ISO 639-1 codes of the 24 official languages of the European Union. */
export const EU_LANGUAGES = [
  "bg",
  "cs",
  "da",
  "de",
  "el",
  "en",
  "es",
  "et",
  "fi",
  "fr",
  "ga",
  "hr",
  "hu",
  "it",
  "lt",
  "lv",
  "mt",
  "nl",
  "pl",
  "pt",
  "ro",
  "sk",
  "sl",
  "sv",
] as const;

/** The version the write is based on; the `If-Match` header may carry it instead. */
export const versionField = z.number().int().positive().optional();

export const versionBody = z.object({ version: versionField });

export const websiteBody = z.object({
  /** The address; without a scheme `http://` is put in front. Null removes the website. */
  website: z.string().trim().max(2048).nullable(),
  version: versionField,
});

export const contactBody = z.object({
  organisation: z
    .string()
    .regex(/^(coordinator|partner-\d+)$/, "Use coordinator, or partner-N with N from 1."),
  name: z.string().trim().min(1).max(200),
  email: z.email("Invalid e-mail address.").max(254).optional(),
  phone: z
    .string()
    .trim()
    .max(40)
    .regex(/^[0-9+()./ -]*$/, "A phone number may hold digits, spaces and + ( ) . / - only.")
    .optional(),
  role: z.string().trim().max(200).optional(),
  /** True when the person agreed to be shown on the public card. */
  public: z.boolean(),
});

export const contactsBody = z.object({
  contacts: z.array(contactBody).max(200),
  version: versionField,
});

export const resultBody = z.object({
  title: z.string().trim().min(1).max(500),
  description: z.string().max(20_000).default(""),
  type: z.string().trim().min(1).max(100).optional(),
  language: z
    .enum(EU_LANGUAGES, { message: "Use the ISO 639-1 code of an EU official language." })
    .optional(),
  version: versionField,
});

export const attachmentView = z.object({
  sha256: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number(),
});

export const draftView = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  type: z.string().optional(),
  language: z.string().optional(),
  attachment: attachmentView.optional(),
});

export const deadlinesView = z.object({
  /** First day the final report can be submitted (the end date); null without an end date. */
  submissionOpensOn: z.string().nullable(),
  /** First day the card is locked; null without an end date. */
  lockedOn: z.string().nullable(),
});

export const projectSummaryView = z.object({
  id: z.string(),
  programme: z.string(),
  agency: z.string(),
  title: z.string(),
  endDate: z.string().nullable(),
  state: z.enum(["open", "submitted", "returned", "approved"]),
  version: z.number(),
  locked: z.boolean(),
  deadlines: deadlinesView,
});

export const projectListView = z.object({
  projects: z.array(projectSummaryView),
  total: z.number(),
});

export const writeView = z.object({ version: z.number(), state: z.string() });

/**
 * Reads an optional JSON body: none (or not JSON) gives `{}`, so routes whose only field is the
 * version also accept a bare request with `If-Match`.
 */
export async function optionalJson<Schema extends z.ZodType>(
  c: Context,
  schema: Schema,
): Promise<z.infer<Schema>> {
  const type = c.req.header("content-type") ?? "";
  let value: unknown = {};
  if (type.includes("json")) {
    const text = await c.req.text();
    if (text.trim() !== "") {
      try {
        value = JSON.parse(text);
      } catch {
        throw new ApiError(
          "INVALID_INPUT",
          "The request body is not valid JSON; send a JSON object.",
        );
      }
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error);
    const fields = [...new Set(issues.map((issue) => issue.path.join(".") || "(body)"))];
    throw new ApiError("INVALID_INPUT", `Invalid request json: check ${fields.join(", ")}.`, {
      issues,
    });
  }
  return parsed.data;
}
