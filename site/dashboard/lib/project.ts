/** Shapes of the editorial API's project views, and helpers the project pages share. */

export interface Attachment {
  sha256: string;
  fileName: string;
  mediaType: string;
  size: number;
}

export interface Draft {
  id: string;
  title: string;
  description: string;
  type?: string;
  language?: string;
  attachment?: Attachment;
}

export interface Deadlines {
  submissionOpensOn: string | null;
  lockedOn: string | null;
}

export interface CardContact {
  organisation: string;
  name: string;
  email?: string;
  phone?: string;
  role?: string;
  public: boolean;
}

export interface ProjectView {
  project: { id: string; programme: string; agency: string; title: string; endDate: string | null };
  card: {
    coordinator?: { name: string };
    partners: { name: string; number?: number }[];
    editorial: {
      logo?: { sha256: string; width: number; height: number; mediaType: string };
      website?: string;
      contacts: CardContact[];
    };
  };
  drafts: Draft[];
  workflow: {
    state: ReviewState;
    comment: string | null;
    submittedAt: string | null;
    unlockedUntil: string | null;
    locked: boolean;
  };
  /** The latest review decision; a return carries the officer's comment. */
  lastDecision: { decision: string; comment: string | null; at: string } | null;
  deadlines: Deadlines;
  version: number;
}

export type ReviewState = "open" | "submitted" | "returned" | "approved";

export const STATE_LABELS: Record<ReviewState, string> = {
  open: "Open for editing",
  submitted: "Submitted for validation",
  returned: "Returned for changes",
  approved: "Approved",
};

/** Dashboard address of a project; identifiers may contain `/`, kept as path separators. */
export function projectHref(base: "/dashboard/projects" | "/review", id: string): string {
  return `${base}/${id.split("/").map(encodeURIComponent).join("/")}/`;
}

/** API path of a project, with the identifier as one encoded segment. */
export function projectApiPath(id: string, rest = ""): string {
  return `/api/projects/${encodeURIComponent(id)}${rest}`;
}

/** Formats an ISO date (YYYY-MM-DD) as "31 December 2026". */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "not set";
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
}

/** Formats a size in bytes for people: "512 bytes", "14.2 KB", "3.1 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Public address of a stored upload, served by the site server. */
export function attachmentHref(file: { sha256: string; fileName: string }): string {
  return `/attachments/${file.sha256}/${encodeURIComponent(file.fileName)}`;
}

/**
 * Address of a result draft's attachment: the access-checked API route, because draft files stay
 * private until an officer publishes the result.
 */
export function draftAttachmentHref(projectId: string, resultId: string): string {
  return `/api/projects/${encodeURIComponent(projectId)}/results/${encodeURIComponent(resultId)}/attachment`;
}

/** The EU official languages a result may be written in, for the language select. */
export const LANGUAGE_OPTIONS = [
  { value: "", label: "Not set" },
  ...Object.entries({
    bg: "Bulgarian",
    cs: "Czech",
    da: "Danish",
    de: "German",
    el: "Greek",
    en: "English",
    es: "Spanish",
    et: "Estonian",
    fi: "Finnish",
    fr: "French",
    ga: "Irish",
    hr: "Croatian",
    hu: "Hungarian",
    it: "Italian",
    lt: "Lithuanian",
    lv: "Latvian",
    mt: "Maltese",
    nl: "Dutch",
    pl: "Polish",
    pt: "Portuguese",
    ro: "Romanian",
    sk: "Slovak",
    sl: "Slovenian",
    sv: "Swedish",
  }).map(([value, label]) => ({ value, label })),
];
