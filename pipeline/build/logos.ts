/**
 * The image step: every logo named by a card (`editorial.logo`, stored by content hash in the
 * media folder) becomes AVIF, WebP and PNG files under `<site>/media/logos/`, at most
 * `LOGO_BOX` pixels and never enlarged. Results are cached by hash, so a rebuild only encodes new
 * logos. A missing or unreadable logo becomes an issue naming the card and the file, and the
 * card page is built without its logo.
 */
import { access, copyFile, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import type { IndexEntry, LogoImage } from "./catalogue-index.ts";
import type { BuildIssue } from "./report.ts";

/** Largest logo box in CSS pixels; the page shows logos at most this size. */
export const LOGO_BOX = { width: 320, height: 160 };
/** Logos being decoded at the same time; sharp runs each on its own libuv thread. */
const CONCURRENCY = 2;
const FORMATS = ["avif", "webp", "png"] as const;

export interface LogoStepOptions {
  entries: IndexEntry[];
  mediaDir: string;
  /** Folder of encoded logos kept between builds. */
  cacheDir: string;
  siteDir: string;
  onLogo?: (done: number, total: number) => void;
}

export interface LogoStepResult {
  logos: number;
  issues: BuildIssue[];
}

interface CachedLogo {
  width: number;
  height: number;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the path of an upload, stored as `<dir>/<sha256>` or, as the editor API's upload store
 * keeps files, `<dir>/<first two hex digits>/<sha256>`. Throws ENOENT when neither exists.
 */
async function findUpload(mediaDir: string, sha256: string): Promise<string> {
  const nested = join(mediaDir, sha256.slice(0, 2), sha256);
  return (await exists(nested)) ? nested : join(mediaDir, sha256);
}

/** Encodes one logo into the cache, unless the cache has it already. Returns its size. */
async function encodeLogo(source: string, cacheFolder: string): Promise<CachedLogo> {
  const infoPath = join(cacheFolder, "info.json");
  if (await exists(infoPath)) return JSON.parse(await readFile(infoPath, "utf8")) as CachedLogo;

  const input = await readFile(source);
  const resized = await sharp(input, { failOn: "error" })
    .rotate()
    .resize({ ...LOGO_BOX, fit: "inside", withoutEnlargement: true })
    .png()
    .toBuffer({ resolveWithObject: true });
  const size = { width: resized.info.width, height: resized.info.height };
  await mkdir(cacheFolder, { recursive: true });
  await writeFile(join(cacheFolder, "logo.png"), resized.data);
  await writeFile(join(cacheFolder, "logo.avif"), await sharp(resized.data).avif().toBuffer());
  await writeFile(join(cacheFolder, "logo.webp"), await sharp(resized.data).webp().toBuffer());
  // info.json comes last and by rename, so its presence means the three files are complete.
  const temporary = `${infoPath}.tmp`;
  await writeFile(temporary, JSON.stringify(size));
  await rename(temporary, infoPath);
  return size;
}

/** Runs the image step and sets `entry.logo` on each card whose logo was encoded. */
export async function processLogos(options: LogoStepOptions): Promise<LogoStepResult> {
  const bySha = new Map<string, IndexEntry[]>();
  for (const entry of options.entries) {
    if (entry.logoSha256 === undefined) continue;
    const cards = bySha.get(entry.logoSha256) ?? [];
    cards.push(entry);
    bySha.set(entry.logoSha256, cards);
  }

  const outFolder = join(options.siteDir, "media", "logos");
  await mkdir(outFolder, { recursive: true });
  const issues: BuildIssue[] = [];
  const queue = [...bySha.entries()];
  let done = 0;
  let logos = 0;

  async function worker(): Promise<void> {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const [sha256, cards] = next;
      try {
        const source = await findUpload(options.mediaDir, sha256);
        const size = await encodeLogo(source, join(options.cacheDir, sha256));
        for (const format of FORMATS) {
          await copyFile(
            join(options.cacheDir, sha256, `logo.${format}`),
            join(outFolder, `${sha256}.${format}`),
          );
        }
        const image: LogoImage = {
          ...size,
          avif: `/media/logos/${sha256}.avif`,
          webp: `/media/logos/${sha256}.webp`,
          fallback: `/media/logos/${sha256}.png`,
          fallbackType: "image/png",
        };
        for (const card of cards) card.logo = image;
        logos += 1;
      } catch (error) {
        const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
        for (const card of cards) {
          issues.push({
            code: missing ? "LOGO_MISSING" : "LOGO_INVALID",
            step: "images",
            cardId: card.id,
            file: sha256,
            message: missing
              ? `logo ${sha256} of card ${card.id} is not in the media folder ${options.mediaDir}; upload the logo again`
              : `logo ${sha256} of card ${card.id} could not be decoded (${(error as Error).message}); upload the logo again as PNG, JPEG or WebP`,
          });
        }
      }
      done += 1;
      options.onLogo?.(done, bySha.size);
    }
  }

  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
  return { logos, issues };
}
