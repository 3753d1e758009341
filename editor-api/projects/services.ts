/** Services the editorial routes share beyond the app's own: content folder, uploads, rebuilds. */
import type { RebuildQueue } from "../publish/queue.ts";
import type { UploadStore } from "../uploads/store.ts";

export interface EditorialServices {
  /** Folder that contains `projects/<programme>/<id>.md`. */
  contentDir: string;
  /** Store for result attachments and logos. */
  uploads: UploadStore;
  /** Rebuild queue that every published card change joins. */
  queue: Pick<RebuildQueue, "request">;
}
