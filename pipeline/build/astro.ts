/**
 * The Astro step: `astro build` in a child process, so that each build has its own memory and
 * environment and a rebuild queue in a long-running server never accumulates Astro's state.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

export interface AstroStepOptions {
  /** Repository root, where `astro.config.mjs` is. */
  root: string;
  siteDir: string;
  contentDir: string;
  indexFile: string;
  cacheDir: string;
  /**
   * Working folder of this build only, inside `root` so that Node.js finds node_modules from it.
   * Astro writes its prerender chunks to `<cwd>/.astro/` when the output folder is outside the
   * working folder, so each build in its own folder keeps concurrent builds from overwriting each
   * other's chunks.
   */
  workDir: string;
  /** Absolute URL the site is served at. */
  siteUrl: string;
  /** Called with each page Astro reports as generated. */
  onPage?: (count: number) => void;
}

/** Error raised when `astro build` exits with a failure; `output` holds its last lines. */
export class AstroBuildError extends Error {
  readonly output: string;
  constructor(message: string, output: string) {
    super(message);
    this.name = "AstroBuildError";
    this.output = output;
  }
}

const MAX_KEPT_OUTPUT = 16_000;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matches terminal colour codes.
const ANSI_ESCAPE = /\x1b\[[0-9;]*m/g;

/** Runs `astro build` into `siteDir`. Resolves with the number of pages written. */
export function runAstroBuild(options: AstroStepOptions): Promise<number> {
  const astroBin = join(dirname(require.resolve("astro/package.json")), "bin", "astro.mjs");
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [astroBin, "build", "--root", options.root], {
      cwd: options.workDir,
      env: {
        ...process.env,
        SITE_OUT_DIR: options.siteDir,
        SITE_URL: options.siteUrl,
        SITE_CACHE_DIR: options.cacheDir,
        CONTENT_DIR: options.contentDir,
        CATALOGUE_INDEX: options.indexFile,
        ASTRO_TELEMETRY_DISABLED: "1",
        FORCE_COLOR: "0",
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let pages = 0;
    const keep = (chunk: Buffer) => {
      const text = chunk.toString("utf8").replace(ANSI_ESCAPE, "");
      output = (output + text).slice(-MAX_KEPT_OUTPUT);
      const generated = text.match(/[├└]─ \/\S*/g);
      if (generated) {
        pages += generated.length;
        options.onPage?.(pages);
      }
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) return resolvePromise(pages);
      const lastLines = output.trim().split("\n").slice(-30).join("\n");
      reject(
        new AstroBuildError(
          `astro build failed (${signal ? `signal ${signal}` : `exit code ${code}`}); the previous site is kept. Its last output:\n${lastLines}`,
          output,
        ),
      );
    });
  });
}
