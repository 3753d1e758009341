/**
 * Decides the type of an uploaded file from its content, then checks that the declared file-name
 * extension agrees with it. The content always wins: a name can never make a file acceptable.
 */
import { oleKind } from "./ole.ts";
import { ooxmlKind } from "./ooxml.ts";
import { sniff } from "./sniff.ts";
import type { TextVerdict } from "./text.ts";
import { FILE_TYPES, type FileKind, type FileType } from "./types.ts";

export interface DetectInput {
  /** The first bytes of the file (a few KiB). */
  head: Uint8Array;
  /** Path of the complete file, for the container checks. */
  path: string;
  /** Verdict of the streaming text check over the whole file. */
  text: TextVerdict;
  /** Lower-case extension of the declared file name, "" when it has none. */
  declaredExtension: string;
}

export type Detection =
  | { ok: true; type: FileType }
  | {
      ok: false;
      code: "FILE_TYPE_NOT_ALLOWED";
      message: string;
      details: { detected: string; declared: string };
    };

/** Detects the content type and checks it against the declared extension. */
export async function detectFileType(input: DetectInput): Promise<Detection> {
  const declared = input.declaredExtension;
  const found = await detectContent(input);
  if (!found.ok) {
    return reject(found.detected, declared, `the file ${found.reason}`);
  }

  let kind = found.kind;
  // Text is one content class with two names: the declared extension picks txt or csv.
  if (kind === "txt" && declared === "csv") kind = "csv";
  const type = FILE_TYPES[kind];
  if (!type.extensions.includes(declared)) {
    const expected = type.extensions.map((extension) => `.${extension}`).join(" or ");
    const name = declared === "" ? "has no extension" : `ends in .${declared}`;
    return reject(
      kind,
      declared,
      `the file content is ${kind} but its name ${name}; rename it to end in ${expected}`,
    );
  }
  return { ok: true, type };
}

type ContentResult = { ok: true; kind: FileKind } | { ok: false; detected: string; reason: string };

async function detectContent(input: DetectInput): Promise<ContentResult> {
  const sniffed = sniff(input.head);
  switch (sniffed.class) {
    case "executable":
      return {
        ok: false,
        detected: `executable (${sniffed.format})`,
        reason: `is an executable program (${sniffed.format}), which is never accepted`,
      };
    case "binary":
      return { ok: true, kind: sniffed.kind };
    case "zip": {
      const verdict = await ooxmlKind(input.path);
      if (verdict.ok) return { ok: true, kind: verdict.kind };
      return { ok: false, detected: "zip", reason: verdict.reason };
    }
    case "ole": {
      const kind = await oleKind(input.path).catch(() => undefined);
      if (kind) return { ok: true, kind };
      return {
        ok: false,
        detected: "ole",
        reason: "is an OLE compound file but not a Word, Excel or PowerPoint document",
      };
    }
    case "unknown": {
      if (input.text.ok) return { ok: true, kind: "txt" };
      return { ok: false, detected: input.text.detected, reason: input.text.reason };
    }
  }
}

function reject(detected: string, declared: string, reason: string): Detection {
  const declaredText = declared === "" ? "none" : `.${declared}`;
  return {
    ok: false,
    code: "FILE_TYPE_NOT_ALLOWED",
    message: `${reason} (detected type: ${detected}, declared extension: ${declaredText}). Accepted: ${acceptedList()}`,
    details: { detected, declared },
  };
}

function acceptedList(): string {
  return Object.values(FILE_TYPES)
    .flatMap((type) => type.extensions)
    .join(", ");
}
