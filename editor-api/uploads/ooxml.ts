/**
 * Tells a Word (docx) from an Excel (xlsx) Office Open XML package by the parts listed in its zip
 * central directory. Nothing is extracted, so a zip bomb costs nothing here.
 */
import yauzl from "yauzl";

export type OoxmlVerdict = { ok: true; kind: "docx" | "xlsx" } | { ok: false; reason: string };

/** Upper bound on entries read, far above what an Office document holds. */
const MAX_ENTRIES = 100_000;

/** Checks the package at `path` and returns its kind, or why it is not an accepted one. */
export async function ooxmlKind(path: string): Promise<OoxmlVerdict> {
  let names: string[];
  try {
    names = await zipEntryNames(path);
  } catch (error) {
    return { ok: false, reason: `is not a readable zip file (${(error as Error).message})` };
  }
  if (!names.includes("[Content_Types].xml")) {
    return { ok: false, reason: "is a zip file but not an Office Open XML package" };
  }
  if (names.some((name) => name.toLowerCase().endsWith("vbaproject.bin"))) {
    return { ok: false, reason: "contains macros (vbaProject.bin), which are not accepted" };
  }
  if (names.includes("word/document.xml")) return { ok: true, kind: "docx" };
  if (names.includes("xl/workbook.xml")) return { ok: true, kind: "xlsx" };
  return { ok: false, reason: "is an Office Open XML package but neither docx nor xlsx" };
}

function zipEntryNames(path: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (error, zip) => {
      if (error || !zip) {
        reject(error ?? new Error("no zip file"));
        return;
      }
      const names: string[] = [];
      zip.on("entry", (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        if (names.length > MAX_ENTRIES) {
          zip.close();
          reject(new Error(`more than ${MAX_ENTRIES} entries`));
          return;
        }
        zip.readEntry();
      });
      zip.on("end", () => resolve(names));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}
