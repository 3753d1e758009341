/**
 * A file written in pieces that appears at its final path only when complete: text goes to a
 * temporary file beside the target, which is flushed to disk and renamed on `commit`.
 */
import { createHash, randomBytes } from "node:crypto";
import { type FileHandle, mkdir, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";

/** Bytes held in memory before they are written out. */
const BUFFER_LIMIT = 256 * 1024;

export type CommittedFile = { path: string; bytes: number; sha256: string };

export class AtomicFileWriter {
  readonly path: string;
  readonly #temporary: string;
  readonly #hash = createHash("sha256");
  #handle: FileHandle | undefined;
  #chunks: string[] = [];
  #buffered = 0;
  #bytes = 0;

  constructor(path: string) {
    this.path = path;
    this.#temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  }

  /** Creates the temporary file (and its folder). */
  async open(): Promise<this> {
    await mkdir(dirname(this.path), { recursive: true });
    this.#handle = await open(this.#temporary, "w");
    return this;
  }

  /** Appends text; resolves at once unless the buffer is full and has to be written out. */
  async write(text: string): Promise<void> {
    this.#chunks.push(text);
    this.#buffered += text.length;
    if (this.#buffered >= BUFFER_LIMIT) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (!this.#handle) throw new Error(`write to ${this.path} before open()`);
    const data = Buffer.from(this.#chunks.join(""), "utf8");
    this.#chunks = [];
    this.#buffered = 0;
    this.#hash.update(data);
    this.#bytes += data.length;
    await this.#handle.write(data);
  }

  /** Writes what is buffered, syncs and renames the file into place. */
  async commit(): Promise<CommittedFile> {
    await this.#flush();
    const handle = this.#handle as FileHandle;
    await handle.sync();
    await handle.close();
    this.#handle = undefined;
    await rename(this.#temporary, this.path);
    return { path: this.path, bytes: this.#bytes, sha256: this.#hash.digest("hex") };
  }

  /** Closes and deletes the temporary file; the target keeps its previous content. */
  async abort(): Promise<void> {
    await this.#handle?.close();
    this.#handle = undefined;
    await rm(this.#temporary, { force: true });
  }
}
