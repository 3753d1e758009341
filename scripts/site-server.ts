/**
 * `createSiteServer`: the Hono app that serves the built catalogue (`dist/`) and the published
 * attachments, with security headers on every response. The editor API can be mounted on the same
 * app (under `/api` and `/account`) through `mount`, before the static files.
 *
 * `dist/` is usually a symbolic link that each build replaces (see `pipeline/build/swap.ts`). The
 * server resolves it once per request, so one response never mixes files of two builds.
 */
import { createReadStream } from "node:fs";
import { access, readFile, realpath, stat } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";

/** The subset of a pino logger the server uses. */
/** Search files rewritten in place by an incremental publication. */
const MUTABLE_SEARCH_FILES = new Set(["/pagefind/shards.json", "/pagefind/filter-counts.json"]);

export interface SiteServerLogger {
  error: (object: object, message?: string) => void;
}

export interface SiteServerOptions {
  /** The built site, such as `dist/`. */
  distDir: string;
  /**
   * Uploaded files by SHA-256, as `<dir>/<sha256>` or `<dir>/<first two hex digits>/<sha256>`.
   * Only files with a `<sha256>.published` marker beside them are served.
   */
  attachmentsDir: string;
  logger?: SiteServerLogger;
  /** Adds routes (such as the editor API) that take precedence over the static files. */
  mount?: (app: Hono) => void;
}

/**
 * Content-Security-Policy: everything from this site only. `wasm-unsafe-eval` lets Pagefind run
 * its WebAssembly search, and `data:` images are the icons inlined in the ECL stylesheet.
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const SHA256 = /^[0-9a-f]{64}$/;

/** Media types of the attachment formats the platform accepts, by file extension. */
const ATTACHMENT_TYPES: Record<string, string> = {
  ".pdf": "application/pdf",
  ".jpeg": "image/jpeg",
  ".jpg": "image/jpeg",
  ".tif": "image/tiff",
  ".png": "image/png",
  ".gif": "image/gif",
  ".mpeg": "video/mpeg",
  ".mpg": "video/mpeg",
  ".ogg": "audio/ogg",
  ".ppt": "application/vnd.ms-powerpoint",
  ".pps": "application/vnd.ms-powerpoint",
  ".xls": "application/vnd.ms-excel",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ".doc": "application/msword",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ".rtf": "application/rtf",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".mp4": "video/mp4",
  ".mov": "video/quicktime",
  ".mp3": "audio/mpeg",
};

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Marker beside a stored upload that makes it public, written when an officer approves a result
 * that links it (`markPublished` in `editor-api/uploads/store.ts`).
 */
const PUBLISHED_MARKER_SUFFIX = ".published";

/**
 * Finds a published upload in either layout of the uploads folder. A file without its published
 * marker is a draft's attachment and is not found.
 */
async function findUpload(root: string, sha256: string): Promise<string | undefined> {
  for (const candidate of [join(root, sha256), join(root, sha256.slice(0, 2), sha256)]) {
    try {
      if (!(await stat(candidate)).isFile()) continue;
    } catch {
      // Not in this layout; try the next one.
      continue;
    }
    return (await exists(`${candidate}${PUBLISHED_MARKER_SUFFIX}`)) ? candidate : undefined;
  }
  return undefined;
}

/** `Content-Disposition: attachment` with an ASCII fallback and the RFC 6266 UTF-8 name. */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Resolves the served folder through its symbolic link, or returns undefined when it is missing. */
async function resolveSite(distDir: string): Promise<string | undefined> {
  try {
    return await realpath(distDir);
  } catch {
    return undefined;
  }
}

/** Creates the site server app. */
export function createSiteServer(options: SiteServerOptions): Hono {
  const distDir = resolve(options.distDir);
  const attachmentsDir = resolve(options.attachmentsDir);
  const app = new Hono();

  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: CONTENT_SECURITY_POLICY,
      referrerPolicy: "strict-origin-when-cross-origin",
      crossOriginEmbedderPolicy: false,
    }),
  );

  app.onError((error, c) => {
    options.logger?.error({ err: error, path: c.req.path }, "request failed");
    return c.text("The server failed to answer this request. Try again later.", 500);
  });

  options.mount?.(app);

  app.get("/attachments/:sha256/:fileName", async (c) => {
    const { sha256, fileName } = c.req.param();
    if (!SHA256.test(sha256)) return c.notFound();
    const path = await findUpload(attachmentsDir, sha256);
    if (!path) return c.notFound();
    const size = (await stat(path)).size;
    const body = Readable.toWeb(createReadStream(path)) as ReadableStream;
    return new Response(body, {
      headers: {
        "Content-Type":
          ATTACHMENT_TYPES[extname(fileName).toLowerCase()] ?? "application/octet-stream",
        "Content-Length": String(size),
        "Content-Disposition": attachmentDisposition(fileName),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "public, max-age=31536000, immutable",
      },
    });
  });

  // Files and folders whose names start with a dot (such as the build's private search
  // manifest `/.search-shards.json`) belong to the build, not to visitors.
  app.use("*", async (c, next) => {
    if (c.req.path.split("/").some((segment) => segment.startsWith("."))) return c.notFound();
    return next();
  });

  // The search manifests change in place when a publication re-indexes a shard, so browsers and
  // caches must revalidate them on each request. The bundles they point to get new names after
  // each change, so those stay cacheable.
  app.use("/pagefind/*", async (c, next) => {
    await next();
    if (MUTABLE_SEARCH_FILES.has(c.req.path)) c.header("Cache-Control", "no-cache");
  });

  // Hashed build assets never change under the same name.
  app.use("/_astro/*", async (c, next) => {
    await next();
    if (c.res.status === 200) c.header("Cache-Control", "public, max-age=31536000, immutable");
  });

  // `/help` becomes `/help/` when that folder has a page, as the site links with a slash.
  app.get("*", async (c, next) => {
    const path = c.req.path;
    // A path starting with `//` would redirect to another host, so it is never redirected.
    if (path.endsWith("/") || path.startsWith("//") || extname(path) !== "") return next();
    const site = await resolveSite(distDir);
    if (site === undefined) return next();
    const folder = resolve(site, `.${decodeURIComponent(path)}`);
    if (folder.startsWith(site) && (await exists(join(folder, "index.html")))) {
      const url = new URL(c.req.url);
      return c.redirect(`${path}/${url.search}`, 301);
    }
    return next();
  });

  app.use("*", async (c, next) => {
    const site = await resolveSite(distDir);
    if (site === undefined) return next();
    return serveStatic({ root: site })(c, next);
  });

  app.notFound(async (c) => {
    let page = "<!doctype html><title>Page not found</title><h1>Page not found</h1>";
    try {
      page = await readFile(join((await resolveSite(distDir)) ?? distDir, "404.html"), "utf8");
    } catch {
      // No built 404 page yet: the plain one above is enough.
    }
    return c.html(page, 404);
  });

  return app;
}
