/**
 * Uploads: the project logo (JPEG, PNG or GIF, normalised with sharp and published at once) and
 * the one attachment of a result draft (any accepted type, detected from the content, streamed to
 * the store under its size limit). The request body is the raw file; its name comes in the
 * `X-File-Name` header (percent-encoded) or the `name` query parameter.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import type { Context, Hono } from "hono";
import { z } from "zod";
import { requireAccount, requireRole } from "../auth/session-middleware.ts";
import type { EditorEnv } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import type { RouteDoc } from "../openapi/route-doc.ts";
import { recordAudit } from "../publish/audit.ts";
import { downloadDisposition } from "../uploads/filename.ts";
import { LOGO_MAX_BYTES, storeLogo } from "../uploads/logo.ts";
import { findVisibleProject } from "./access.ts";
import { attachmentView, draftView, writeView } from "./bodies.ts";
import { WRITE_ERRORS } from "./card-routes.ts";
import { findDraft, updateDraft } from "./drafts.ts";
import { EditorialError, type EditorialErrorCode } from "./errors.ts";
import { existingDraft } from "./result-routes.ts";
import type { EditorialServices } from "./services.ts";
import { expectedVersion, versionTag } from "./workflow-store.ts";
import { precheckWrite, publishEditorial, runWrite } from "./write.ts";

const ERRORS = [
  ...WRITE_ERRORS,
  "FILE_TOO_LARGE",
  "FILE_TYPE_NOT_ALLOWED",
  "UPLOAD_INTERRUPTED",
  "UPLOAD_TIMEOUT",
];
const ROLES = ["beneficiary", "officer", "helpdesk"];

export const uploadDocs: RouteDoc[] = [
  {
    method: "put",
    path: "/api/projects/:id/logo",
    summary:
      "Upload the project logo as the raw body (JPEG, PNG or GIF, at most 10 MiB); it is resized to fit 800 × 800, stored as PNG and published. Version in If-Match",
    access: ROLES,
    success: {
      status: 200,
      description: "The stored logo and the new version",
      schema: writeView.extend({
        logo: z.object({ sha256: z.string(), width: z.number(), height: z.number() }),
      }),
    },
    errors: [...ERRORS, "IMAGE_INVALID"],
  },
  {
    method: "put",
    path: "/api/projects/:id/results/:resultId/attachment",
    summary:
      "Upload the attachment of a result draft as the raw body, streamed under the 100 MiB limit; the type is told from the content. Replaces any earlier attachment. Version in If-Match",
    access: ROLES,
    success: {
      status: 200,
      description: "The draft with its attachment and the new version",
      schema: writeView.extend({ result: draftView, attachment: attachmentView }),
    },
    errors: [...ERRORS, "RESULT_NOT_FOUND"],
  },
  {
    method: "get",
    path: "/api/projects/:id/results/:resultId/attachment",
    summary:
      "Download the attachment of a result draft, published or not, as a file; for the accounts that may see the project",
    access: ROLES,
    success: { status: 200, description: "The file, as a download" },
    errors: ["NOT_SIGNED_IN", "NOT_FOUND", "RESULT_NOT_FOUND"],
  },
];

/** Returns the declared file name of an upload. */
function declaredName(c: Context): string {
  const header = c.req.header("x-file-name");
  if (header) {
    try {
      return decodeURIComponent(header);
    } catch {
      return header;
    }
  }
  return c.req.query("name") ?? "upload";
}

/**
 * Returns the request body as a stream. Rejects a multipart body, an empty body and a declared
 * length past `maxBytes`.
 */
function uploadBody(c: Context, maxBytes: number): ReadableStream<Uint8Array> {
  const contentType = c.req.header("content-type") ?? "";
  if (/^\s*multipart\//i.test(contentType)) {
    throw new ApiError(
      "INVALID_INPUT",
      "The upload is a multipart form; send the file as the raw request body with its Content-Type (multipart is not accepted on this route).",
    );
  }
  const declared = Number(c.req.header("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new EditorialError(
      "FILE_TOO_LARGE",
      `The upload declares ${declared} bytes, more than the limit of ${maxBytes} bytes; upload a smaller file.`,
      { maxBytes, declaredBytes: declared },
    );
  }
  const body = c.req.raw.body;
  if (!body || declared === 0) {
    throw new ApiError("INVALID_INPUT", "The upload is empty; send the file as the request body.");
  }
  return body;
}

export function registerUploadRoutes(api: Hono<EditorEnv>, services: EditorialServices): void {
  api.get("/api/projects/:id/results/:resultId/attachment", requireRole(), async (c) => {
    const { db, clock, logger } = c.var.deps;
    const account = requireAccount(c.var.account);
    const { project } = await findVisibleProject(
      db,
      services.contentDir,
      account,
      c.req.param("id"),
      clock,
    );
    const resultId = c.req.param("resultId");
    const attachment = findDraft(db, project.id, resultId)?.attachment;
    if (!attachment) {
      throw new EditorialError(
        "RESULT_NOT_FOUND",
        `Project ${project.id} has no result ${resultId} with an attachment; list its drafts with GET /api/projects/${project.id}.`,
        { resultId },
      );
    }
    const path = services.uploads.pathOf(attachment.sha256);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      logger.error(
        { projectId: project.id, resultId, sha256: attachment.sha256 },
        "draft attachment missing from the store",
      );
      throw new ApiError(
        "NOT_FOUND",
        `The file of result ${resultId} is missing from the store; upload it again.`,
      );
    }
    const body = Readable.toWeb(createReadStream(path)) as ReadableStream;
    return new Response(body, {
      headers: {
        "Content-Type": attachment.mediaType,
        "Content-Length": String(size),
        "Content-Disposition": downloadDisposition(attachment.fileName),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
      },
    });
  });

  api.put("/api/projects/:id/logo", requireRole(), async (c) => {
    const projectId = c.req.param("id");
    const expected = expectedVersion(c);
    const action = { type: "edit" } as const;
    await precheckWrite(c, services, { projectId, expected, action });

    const name = declaredName(c);
    const stored = await storeLogo(services.uploads, uploadBody(c, LOGO_MAX_BYTES), name);
    if (!stored.ok) throw uploadError(stored);
    const logo = {
      sha256: stored.file.sha256,
      width: stored.width,
      height: stored.height,
      mediaType: stored.file.mediaType,
    };

    const result = await runWrite(c, services, {
      projectId,
      expected,
      action,
      change: "logo",
      apply: async (context) => {
        await publishEditorial(c, services, context, { ...context.card.editorial, logo }, "edit");
        return undefined;
      },
    });
    // The logo is public as soon as it is saved, so the public file route may serve it too.
    await services.uploads.markPublished(logo.sha256);
    c.header("ETag", versionTag(result.version));
    return c.json({ version: result.version, state: result.workflow.state, logo });
  });

  api.put("/api/projects/:id/results/:resultId/attachment", requireRole(), async (c) => {
    const projectId = c.req.param("id");
    const resultId = c.req.param("resultId");
    const expected = expectedVersion(c);
    const action = { type: "edit" } as const;
    const check = (context: Parameters<typeof existingDraft>[0]) => {
      existingDraft(context, resultId);
    };
    await precheckWrite(c, services, { projectId, expected, action, check });

    const name = declaredName(c);
    const stored = await services.uploads.put(uploadBody(c, services.uploads.maxBytes), name);
    if (!stored.ok) throw uploadError(stored);
    const attachment = {
      sha256: stored.file.sha256,
      fileName: stored.file.fileName,
      mediaType: stored.file.mediaType,
      size: stored.file.size,
    };

    const { db } = c.var.deps;
    let updated: ReturnType<typeof existingDraft> | undefined;
    const result = await runWrite(c, services, {
      projectId,
      expected,
      action,
      change: `result ${resultId} attachment`,
      check,
      apply: (context) => ({
        alsoRun: () => {
          const before = existingDraft(context, resultId);
          const after = { ...before, attachment };
          const at = context.now.toISOString();
          updateDraft(db, projectId, after, at);
          updated = after;
          recordAudit(db, {
            at,
            actorId: String(context.account.id),
            action: "edit",
            projectId,
            field: `drafts.${resultId}.attachment`,
            oldValue: before.attachment,
            newValue: attachment,
          });
        },
      }),
    });
    c.header("ETag", versionTag(result.version));
    return c.json({
      version: result.version,
      state: result.workflow.state,
      result: updated,
      attachment,
    });
  });
}

/**
 * Turns a rejected upload into the API error. A timed-out upload also closes the connection,
 * because the rest of its body was never read.
 */
function uploadError(rejected: {
  code: EditorialErrorCode;
  message: string;
  details: Record<string, unknown>;
}): EditorialError {
  const headers: Record<string, string> =
    rejected.code === "UPLOAD_TIMEOUT" ? { Connection: "close" } : {};
  return new EditorialError(
    rejected.code,
    `${capitalise(rejected.message)}.`,
    rejected.details,
    headers,
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
