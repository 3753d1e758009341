/** Zod schemas of the review routes. */
import { z } from "zod";

export const decisionBody = z.object({
  decision: z.enum(["approve", "return"]),
  /** Required for a return: what the beneficiary must change. */
  comment: z.string().max(10_000).optional(),
  /** Publication choice and optional comment per result draft; unlisted results stay unpublished. */
  results: z
    .array(
      z.object({
        id: z.string().min(1),
        publish: z.boolean(),
        comment: z.string().max(5_000).optional(),
      }),
    )
    .max(500)
    .default([]),
  /** Labels of an approval; a success story is always a good practice too. */
  labels: z
    .object({ goodPractice: z.boolean().optional(), successStory: z.boolean().optional() })
    .optional(),
  version: z.number().int().positive().optional(),
});

export const queueView = z.object({
  submissions: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      programme: z.string(),
      agency: z.string(),
      endDate: z.string().nullable(),
      submittedAt: z.string().nullable(),
      /** Whole days since the submission. */
      ageDays: z.number().nullable(),
      version: z.number(),
    }),
  ),
});
