/**
 * Tells a Word (docx) from an Excel (xlsx) Office Open XML package by the parts listed in its zip
 * central directory. Nothing is extracted, so a zip bomb costs nothing here, but a package whose
 * parts declare far more bytes than it contains is rejected, because the people who download the
 * attachment would unpack it.
 */
import yauzl from "yauzl";

export type OoxmlVerdict = { ok: true; kind: "docx" | "xlsx" } | { ok: false; reason: string };

/** Upper bound on entries read, far above what an Office document holds. */
const MAX_ENTRIES = 100_000;
/** Upper bound on the declared unpacked size of all parts: 1 GiB. */
export const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;
/**
 * Upper bound on unpacked size over packed size once the parts unpack to more than
 * `RATIO_CHECK_FROM_BYTES`. Zeros deflate about 1030 to 1, while a generated sheet of 300,000
 * numbered rows (24 MB of XML) packed about 11 to 1 with zlib level 9. From that one sample, real files are estimated
 * to stay far below 100 to 1.
 */
export const MAX_PACKING_RATIO = 100;
/** Unpacked size from which the ratio is checked: 100 MiB. */
export const RATIO_CHECK_FROM_BYTES = 100 * 1024 * 1024;

type ZipListing = { names: string[]; packedBytes: number; unpackedBytes: number };

/** Checks the package at `path` and returns its kind, or why it is not an accepted one. */
export async function ooxmlKind(path: string): Promise<OoxmlVerdict> {
  let listing: ZipListing;
  try {
    listing = await zipListing(path);
  } catch (error) {
    return { ok: false, reason: `is not a readable zip file (${(error as Error).message})` };
  }
  const { names, packedBytes, unpackedBytes } = listing;
  if (unpackedBytes > MAX_UNPACKED_BYTES) {
    return {
      ok: false,
      reason: `unpacks to ${unpackedBytes} bytes, more than the limit of ${MAX_UNPACKED_BYTES} bytes (a zip bomb)`,
    };
  }
  const ratio = unpackedBytes / Math.max(1, packedBytes);
  if (unpackedBytes > RATIO_CHECK_FROM_BYTES && ratio > MAX_PACKING_RATIO) {
    return {
      ok: false,
      reason: `unpacks to ${unpackedBytes} bytes from ${packedBytes}, more than ${MAX_PACKING_RATIO} times its packed size (a zip bomb)`,
    };
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

/**
 * Lists the entries of the zip central directory with their declared sizes.
 * NOTE: the sizes are the ones the directory declares. A package that declares small sizes but
 * contains more data is not detected, because that would mean unpacking every part.
 */
function zipListing(path: string): Promise<ZipListing> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (error, zip) => {
      if (error || !zip) {
        reject(error ?? new Error("no zip file"));
        return;
      }
      const names: string[] = [];
      let packedBytes = 0;
      let unpackedBytes = 0;
      zip.on("entry", (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        packedBytes += entry.compressedSize;
        unpackedBytes += entry.uncompressedSize;
        if (names.length > MAX_ENTRIES) {
          zip.close();
          reject(new Error(`more than ${MAX_ENTRIES} entries`));
          return;
        }
        zip.readEntry();
      });
      zip.on("end", () => resolve({ names, packedBytes, unpackedBytes }));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}
