/**
 * Minimal static file server for a built site, used when the project's own server is not there.
 * Folders serve their `index.html`; a missing file gets `404.html` with status 404.
 */
import { readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".xml": "application/xml",
  ".csv": "text/csv; charset=utf-8",
  ".wasm": "application/wasm",
};

export interface RunningServer {
  origin: string;
  close(): Promise<void>;
}

async function findFile(root: string, pathname: string): Promise<string | undefined> {
  const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, "");
  if (relative.split(sep).includes("..")) return undefined;
  let file = join(root, relative);
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    await stat(file);
    return file;
  } catch {
    return undefined;
  }
}

/** Serves `root` on 127.0.0.1 at a free port. */
export async function serveStatic(root: string): Promise<RunningServer> {
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const file = await findFile(root, url.pathname);
    if (file === undefined) {
      const notFound = await readFile(join(root, "404.html")).catch(() => Buffer.from("Not found"));
      response.writeHead(404, { "content-type": CONTENT_TYPES[".html"] });
      response.end(notFound);
      return;
    }
    const type = CONTENT_TYPES[extname(file)] ?? "application/octet-stream";
    response.writeHead(200, { "content-type": type });
    response.end(await readFile(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
