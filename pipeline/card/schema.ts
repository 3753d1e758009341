/**
 * The project card: one funded project as the catalogue publishes it.
 *
 * A card has two parts. Contractual data comes from the grant-management exports and changes only
 * through the importer. The editorial part (logo, website, results, contacts, review state) is
 * written by beneficiaries and officers through the editor API, and an import never touches it.
 */
import { z } from "zod";

/** ISO calendar date, `YYYY-MM-DD`, kept as a string so YAML never turns it into a timestamp. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD");

/** Two-letter country code as the EU writes it (`EL` for Greece, `UK` for the United Kingdom). */
export const countryCode = z.string().regex(/^[A-Z]{2}$/, "expected a two-letter country code");

export const httpUrl = z.url({ protocol: /^https?$/ });

export const organisationSchema = z.object({
  name: z.string().min(1),
  type: z.string().optional(),
  address: z.string().optional(),
  region: z.string().optional(),
  country: countryCode.optional(),
  /** Web addresses given for the organisation, each an absolute http(s) URL. */
  websites: z.array(httpUrl).default([]),
  /**
   * Partner number N of the export's `Partner N …` columns. Set only when it differs from the
   * partner's position in `partners` plus one, which happens after an empty partner group.
   */
  number: z.number().int().positive().optional(),
});

export const attachmentSchema = z.object({
  /** SHA-256 of the file content, hex: the name under which the file is stored. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  fileName: z.string().min(1),
  mediaType: z.string().min(1),
  size: z.number().int().nonnegative(),
});

export const resultSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  description: z.string().default(""),
  type: z.string().optional(),
  /** ISO 639-1 code of an EU official language. */
  language: z
    .string()
    .regex(/^[a-z]{2}$/)
    .optional(),
  attachment: attachmentSchema.optional(),
  /** True once an officer chose to publish this result. */
  published: z.boolean().default(false),
});

export const contactSchema = z.object({
  /** `coordinator`, or `partner-N` with N the partner's position in the export (from 1). */
  organisation: z.string().regex(/^(coordinator|partner-\d+)$/),
  name: z.string().min(1),
  email: z.email().optional(),
  phone: z.string().optional(),
  role: z.string().optional(),
  /** True once the beneficiary confirmed this contact for public display. */
  public: z.boolean().default(false),
});

export const reviewStateSchema = z.enum(["open", "submitted", "returned", "approved"]);

export const logoSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  mediaType: z.string(),
});

/** Parts of a card that the editorial flow fills; the importer keeps them as they are. */
export const editorialSchema = z.object({
  logo: logoSchema.optional(),
  website: httpUrl.optional(),
  results: z.array(resultSchema).default([]),
  contacts: z.array(contactSchema).default([]),
  /**
   * Labels an officer gave at the last approval. They stand beside the contractual
   * `goodPractice` and `successStory`, which only the importer sets; a success story is always
   * a good practice too.
   */
  labels: z.object({ goodPractice: z.boolean(), successStory: z.boolean() }).optional(),
  review: z
    .object({
      state: reviewStateSchema.default("open"),
      updatedAt: z.string().optional(),
    })
    .default({ state: "open" }),
});

export const projectStatusSchema = z.enum(["ongoing", "completed"]);

/** Contractual data of a card, as the importer builds it from one export row. */
export const contractualSchema = z.object({
  id: z.string().min(1).max(200),
  programme: z.string().min(1),
  /** Sub-programme (Creative Europe) or key action (Erasmus+). */
  subProgramme: z.string().optional(),
  action: z.string().optional(),
  /** Action type (Erasmus+) or activity types (Creative Europe). */
  actionType: z.string().optional(),
  callYear: z.number().int().min(1950).max(2100).optional(),
  externalReference: z.string().optional(),
  nationalIdentifier: z.string().optional(),
  title: z.string().min(1),
  status: projectStatusSchema.optional(),
  startDate: isoDate.optional(),
  endDate: isoDate.optional(),
  /** EU grant awarded at selection, in euros. */
  euGrant: z.number().nonnegative().optional(),
  topics: z.array(z.string()).default([]),
  countries: z.array(countryCode).default([]),
  coordinator: organisationSchema.optional(),
  partners: z.array(organisationSchema).default([]),
  goodPractice: z.boolean().default(false),
  successStory: z.boolean().default(false),
  resultsAvailable: z.boolean().default(false),
  /** Project website given in the export. */
  website: httpUrl.optional(),
  /** The card on the platform the export came from. */
  sourceUrl: httpUrl.optional(),
  /** National Agency code such as `DE02`, or `EACEA` for the executive agency. */
  agency: z.string().regex(/^([A-Z]{2}\d{2}|EACEA)$/),
  /** ISO 639-1 code of the summary's main language, when the importer detected one. */
  language: z
    .string()
    .regex(/^[a-z]{2}$/)
    .optional(),
});

export const cardSchema = contractualSchema.extend({
  summary: z.string().default(""),
  editorial: editorialSchema.default({
    results: [],
    contacts: [],
    review: { state: "open" },
  }),
});

export type Organisation = z.infer<typeof organisationSchema>;
export type Attachment = z.infer<typeof attachmentSchema>;
export type Result = z.infer<typeof resultSchema>;
export type Contact = z.infer<typeof contactSchema>;
export type Editorial = z.infer<typeof editorialSchema>;
export type Contractual = z.infer<typeof contractualSchema>;
export type Card = z.infer<typeof cardSchema>;
/** A card as callers may write it: defaults not yet applied. */
export type CardInput = z.input<typeof cardSchema>;
