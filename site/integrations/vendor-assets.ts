/**
 * Astro integration that copies the Europa Component Library styles, icons and logo and the Inter
 * font from node_modules into `<output>/vendor/`, so the site serves them itself and the vendor
 * files never enter the repository. The dev server serves the same files from node_modules.
 */
import { createReadStream } from "node:fs";
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { AstroIntegration } from "astro";

const require = createRequire(import.meta.url);

/** Font weights the site uses; each is served as woff2 for every Unicode subset of Inter. */
const FONT_WEIGHTS = [400, 600, 700];

interface VendorFile {
  /** Path below `/vendor/`, with `/` separators. */
  target: string;
  source: string;
}

function packageRoot(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** Lists the files to publish, with the path each gets below `/vendor/`. */
export async function listVendorFiles(): Promise<VendorFile[]> {
  const ecl = join(packageRoot("@ecl/preset-ec"), "dist");
  const files: VendorFile[] = [
    { target: "ecl/styles/ecl-ec.css", source: join(ecl, "styles/ecl-ec.css") },
    { target: "ecl/styles/ecl-ec-print.css", source: join(ecl, "styles/ecl-ec-print.css") },
    {
      target: "ecl/images/icons/sprites/icons.svg",
      source: join(ecl, "images/icons/sprites/icons.svg"),
    },
    {
      target: "ecl/images/logo/positive/logo-ec--en.svg",
      source: join(ecl, "images/logo/positive/logo-ec--en.svg"),
    },
  ];
  const fontFiles = join(packageRoot("@fontsource/inter"), "files");
  const weights = new RegExp(`^inter-[a-z-]+-(${FONT_WEIGHTS.join("|")})-normal\\.woff2$`);
  for (const name of (await readdir(fontFiles)).sort()) {
    if (weights.test(name))
      files.push({ target: `fonts/inter/${name}`, source: join(fontFiles, name) });
  }
  return files;
}

/**
 * Builds the `@font-face` rules for Inter from the fontsource stylesheets, keeping only the woff2
 * sources so that every rule points at a file that `listVendorFiles` publishes.
 */
export async function interStylesheet(): Promise<string> {
  const root = packageRoot("@fontsource/inter");
  const parts: string[] = [];
  for (const weight of FONT_WEIGHTS) {
    const css = await readFile(join(root, `${weight}.css`), "utf8");
    parts.push(
      css
        .replace(/,\s*url\([^)]*\.woff\) format\('woff'\)/g, "")
        .replace(/url\(\.\/files\//g, "url(./inter/"),
    );
  }
  return parts.join("\n");
}

async function copyVendorFiles(outDir: string): Promise<number> {
  const files = await listVendorFiles();
  for (const file of files) {
    const target = join(outDir, "vendor", ...file.target.split("/"));
    await mkdir(dirname(target), { recursive: true });
    await copyFile(file.source, target);
  }
  const fontCss = join(outDir, "vendor", "fonts", "inter.css");
  await mkdir(dirname(fontCss), { recursive: true });
  await writeFile(fontCss, await interStylesheet());
  return files.length + 1;
}

const CONTENT_TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".woff2": "font/woff2",
};

export default function vendorAssets(): AstroIntegration {
  return {
    name: "eu-results:vendor-assets",
    hooks: {
      "astro:server:setup": async ({ server }) => {
        const files = new Map((await listVendorFiles()).map((file) => [file.target, file.source]));
        server.middlewares.use(async (request, response, next) => {
          const url = request.url ?? "";
          if (!url.startsWith("/vendor/")) return next();
          const target = normalize(url.slice("/vendor/".length).split("?")[0]).split(sep).join("/");
          if (target === "fonts/inter.css") {
            response.setHeader("content-type", CONTENT_TYPES[".css"]);
            response.end(await interStylesheet());
            return;
          }
          const source = files.get(target);
          if (!source) return next();
          response.setHeader(
            "content-type",
            CONTENT_TYPES[extname(source)] ?? "application/octet-stream",
          );
          createReadStream(source).pipe(response);
        });
      },
      "astro:build:done": async ({ dir, logger }) => {
        const count = await copyVendorFiles(fileURLToPath(dir));
        logger.info(`copied ${count} vendor files`);
      },
    },
  };
}
