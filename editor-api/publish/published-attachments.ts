/**
 * Marks the attachments of every published result in the content folder as public, for files
 * stored before approvals wrote the marker themselves. Safe to run at each start.
 */
import { listCardFiles, readCardFile } from "../../pipeline/card/index.ts";
import type { UploadStore } from "../uploads/store.ts";

export interface MarkReport {
  /** Attachments of published results now marked public. */
  marked: number;
  /** Hashes that published results link but the store lacks. */
  missing: string[];
}

/** Writes the published marker of every attachment that a published result on a card links. */
export async function markPublishedAttachments(
  contentDir: string,
  uploads: Pick<UploadStore, "markPublished">,
): Promise<MarkReport> {
  const report: MarkReport = { marked: 0, missing: [] };
  for await (const file of listCardFiles(contentDir)) {
    let results: Awaited<ReturnType<typeof readCardFile>>["editorial"]["results"];
    try {
      results = (await readCardFile(file)).editorial.results;
    } catch {
      // An invalid card file is reported by the project index sync; it publishes nothing.
      continue;
    }
    for (const result of results) {
      if (!result.published || !result.attachment) continue;
      if (await uploads.markPublished(result.attachment.sha256)) report.marked += 1;
      else report.missing.push(result.attachment.sha256);
    }
  }
  return report;
}
