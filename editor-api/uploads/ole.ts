/**
 * Reads the stream names of an OLE compound file (legacy Word, Excel and PowerPoint files) to
 * tell which application wrote it. Only the header, the FAT and the directory are read.
 * The layout follows Microsoft's [MS-CFB] Compound File Binary File Format.
 */
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";

const END_OF_CHAIN = 0xfffffffe;
const FREE_SECTOR = 0xffffffff;
const HEADER_DIFAT_ENTRIES = 109;
/** Upper bound on sectors followed in one chain, so a looping chain cannot hang the reader. */
const MAX_CHAIN = 1 << 20;

export type OleKind = "doc" | "xls" | "ppt";

/** Returns the Office kind (doc, xls or ppt) of a compound file, or undefined for any other. */
export async function oleKind(path: string): Promise<OleKind | undefined> {
  const names = await oleStreamNames(path);
  if (names.includes("WordDocument")) return "doc";
  if (names.includes("Workbook") || names.includes("Book")) return "xls";
  if (names.includes("PowerPoint Document")) return "ppt";
  return undefined;
}

/** Lists the names of every directory entry; throws when the file is not a valid compound file. */
export async function oleStreamNames(path: string): Promise<string[]> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const header = await readAt(handle, 0, 512);
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    if (view.getUint16(0x1c, true) !== 0xfffe) throw new Error("invalid OLE byte-order mark");
    const sectorShift = view.getUint16(0x1e, true);
    if (sectorShift !== 9 && sectorShift !== 12) throw new Error("invalid OLE sector size");
    const sectorSize = 1 << sectorShift;
    const sectorCount = Math.floor((size - sectorSize) / sectorSize) + 1;
    const readSector = async (sector: number) => {
      if (sector >= sectorCount) throw new Error(`OLE sector ${sector} is past the end of file`);
      return readAt(handle, (sector + 1) * sectorSize, sectorSize);
    };

    const fatSectors = await readDifat(view, readSector, sectorSize);
    const fat: number[] = [];
    for (const sector of fatSectors) {
      const bytes = await readSector(sector);
      const fatView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let offset = 0; offset < sectorSize; offset += 4) {
        fat.push(fatView.getUint32(offset, true));
      }
    }

    const names: string[] = [];
    let sector = view.getUint32(0x30, true);
    for (let steps = 0; sector !== END_OF_CHAIN; steps++) {
      if (steps > MAX_CHAIN || sector >= fat.length) throw new Error("invalid OLE directory chain");
      const bytes = await readSector(sector);
      for (let offset = 0; offset < sectorSize; offset += 128) {
        const name = entryName(bytes.subarray(offset, offset + 128));
        if (name !== "") names.push(name);
      }
      sector = fat[sector];
    }
    return names;
  } finally {
    await handle.close();
  }
}

/** Collects the FAT sector numbers from the header and the DIFAT chain. */
async function readDifat(
  header: DataView,
  readSector: (sector: number) => Promise<Uint8Array>,
  sectorSize: number,
): Promise<number[]> {
  const fatCount = header.getUint32(0x2c, true);
  const sectors: number[] = [];
  for (let index = 0; index < HEADER_DIFAT_ENTRIES && sectors.length < fatCount; index++) {
    sectors.push(header.getUint32(0x4c + index * 4, true));
  }
  let difatSector = header.getUint32(0x44, true);
  for (let steps = 0; sectors.length < fatCount; steps++) {
    if (difatSector === END_OF_CHAIN || difatSector === FREE_SECTOR || steps > MAX_CHAIN) {
      throw new Error("invalid OLE DIFAT chain");
    }
    const bytes = await readSector(difatSector);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const perSector = sectorSize / 4 - 1;
    for (let index = 0; index < perSector && sectors.length < fatCount; index++) {
      sectors.push(view.getUint32(index * 4, true));
    }
    difatSector = view.getUint32(perSector * 4, true);
  }
  return sectors;
}

/** Decodes the UTF-16LE name of a 128-byte directory entry; "" for an unused entry. */
function entryName(entry: Uint8Array): string {
  const view = new DataView(entry.buffer, entry.byteOffset, entry.byteLength);
  const nameBytes = view.getUint16(64, true);
  const objectType = entry[66];
  if (objectType === 0 || nameBytes < 2 || nameBytes > 64) return "";
  return new TextDecoder("utf-16le").decode(entry.subarray(0, nameBytes - 2));
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new Error("OLE file is truncated");
  return buffer;
}
