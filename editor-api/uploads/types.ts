/**
 * The attachment types the platform accepts, each with its media type and the file-name
 * extensions that may declare it.
 */

export type FileKind =
  | "pdf"
  | "jpeg"
  | "tiff"
  | "png"
  | "gif"
  | "mpeg"
  | "ogg"
  | "ppt"
  | "xls"
  | "xlsx"
  | "doc"
  | "docx"
  | "rtf"
  | "txt"
  | "csv"
  | "mp4"
  | "mov"
  | "mp3";

export interface FileType {
  kind: FileKind;
  mediaType: string;
  extensions: readonly string[];
}

export const FILE_TYPES: Record<FileKind, FileType> = {
  pdf: { kind: "pdf", mediaType: "application/pdf", extensions: ["pdf"] },
  jpeg: { kind: "jpeg", mediaType: "image/jpeg", extensions: ["jpg", "jpeg"] },
  tiff: { kind: "tiff", mediaType: "image/tiff", extensions: ["tif", "tiff"] },
  png: { kind: "png", mediaType: "image/png", extensions: ["png"] },
  gif: { kind: "gif", mediaType: "image/gif", extensions: ["gif"] },
  mpeg: { kind: "mpeg", mediaType: "video/mpeg", extensions: ["mpeg", "mpg"] },
  ogg: { kind: "ogg", mediaType: "application/ogg", extensions: ["ogg"] },
  ppt: { kind: "ppt", mediaType: "application/vnd.ms-powerpoint", extensions: ["ppt", "pps"] },
  xls: { kind: "xls", mediaType: "application/vnd.ms-excel", extensions: ["xls"] },
  xlsx: {
    kind: "xlsx",
    mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extensions: ["xlsx"],
  },
  doc: { kind: "doc", mediaType: "application/msword", extensions: ["doc"] },
  docx: {
    kind: "docx",
    mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    extensions: ["docx"],
  },
  rtf: { kind: "rtf", mediaType: "application/rtf", extensions: ["rtf"] },
  txt: { kind: "txt", mediaType: "text/plain; charset=utf-8", extensions: ["txt"] },
  csv: { kind: "csv", mediaType: "text/csv; charset=utf-8", extensions: ["csv"] },
  mp4: { kind: "mp4", mediaType: "video/mp4", extensions: ["mp4"] },
  mov: { kind: "mov", mediaType: "video/quicktime", extensions: ["mov"] },
  mp3: { kind: "mp3", mediaType: "audio/mpeg", extensions: ["mp3"] },
};

/** Returns the lower-case extension of a file name without the dot, or "" when it has none. */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  if (dot <= 0 || dot === fileName.length - 1) return "";
  return fileName.slice(dot + 1).toLowerCase();
}

/** Returns the accepted type that a file-name extension declares, if any. */
export function typeForExtension(extension: string): FileType | undefined {
  return Object.values(FILE_TYPES).find((type) => type.extensions.includes(extension));
}
