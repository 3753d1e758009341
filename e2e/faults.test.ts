/**
 * Faults of the whole platform (`npm start` in a child process): SIGKILL during a save, an upload
 * and a rebuild, a corrupt card file, and a full disk. After each fault the restarted server must
 * still hold every write it acknowledged, leave no half-written or temporary file, and serve the
 * site.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DANCE_CARD, OTHER_CARD, projectPath } from "../editor-api/projects/fixtures.ts";
import { upload } from "../editor-api/projects/test-editorial.ts";
import type { TestClient } from "../editor-api/testing/test-editor.ts";
import { minimalPdf } from "../editor-api/uploads/test-samples.ts";
import { WORK_PREFIX } from "../pipeline/build/leftovers.ts";
import { PARTIAL_SUFFIX } from "../pipeline/build/swap.ts";
import { cardPath, parseCardText } from "../pipeline/card/index.ts";
import {
  canMountTmpfs,
  listFiles,
  type PlatformFolders,
  platformFolders,
  type RunningPlatform,
  seedPlatform,
  startPlatform,
  unreadableCards,
} from "./faults-platform.ts";

/** Starts, kills and restarts need more than the default 30 seconds. */
const FAULT_TIMEOUT_MS = 600_000;
const DANCE = projectPath(DANCE_CARD.id);
const DANCE_PAGE = "/projects/culture-2007-2013/2013-1234_001-001/";

let folders: PlatformFolders;
let running: RunningPlatform[] = [];

beforeEach(async () => {
  folders = platformFolders(await mkdtemp(join(tmpdir(), "faults-")));
  await seedPlatform(folders);
});

afterEach(async () => {
  for (const platform of running) await platform.kill();
  running = [];
  await rm(folders.root, { recursive: true, force: true });
});

async function start(options?: Parameters<typeof startPlatform>[1]): Promise<RunningPlatform> {
  const platform = await startPlatform(folders, options);
  running.push(platform);
  return platform;
}

type ProjectView = {
  version: number;
  card: { editorial?: { website?: string } };
  drafts: { id: string; title: string; attachment?: { sha256: string; fileName: string } }[];
};

async function readProject(client: TestClient): Promise<ProjectView> {
  const response = await client.get(DANCE);
  expect(response.status).toBe(200);
  return (await response.json()) as ProjectView;
}

/** Files whose names mark an unfinished write: card and upload temporaries, partial builds. */
function temporaryFiles(files: string[]): string[] {
  return files.filter(
    (file) => file.endsWith(".tmp") || file.includes(".partial") || file.includes(".upload"),
  );
}

/** Builds a PDF of about `bytes` bytes: the minimal PDF with a comment line of padding. */
function paddedPdf(bytes: number): Buffer {
  const pdf = minimalPdf();
  const header = "%PDF-1.4\n";
  const padding = Buffer.from(`%${"x".repeat(Math.max(0, bytes - pdf.length))}\n`, "latin1");
  return Buffer.concat([pdf.subarray(0, header.length), padding, pdf.subarray(header.length)]);
}

/**
 * Waits until no rebuild job is queued or running (at most 60 s) and returns the states of all
 * jobs, read from the database file beside the running server.
 */
async function settledRebuildJobs(databasePath: string): Promise<string[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const db = new DatabaseSync(databasePath, { readOnly: true, timeout: 5000 });
    let states: string[];
    try {
      const rows = db.prepare("SELECT state FROM rebuild_jobs ORDER BY id").all();
      states = rows.map((row) => String(row.state));
    } finally {
      db.close();
    }
    const pending = states.some((state) => state === "queued" || state === "running");
    if (!pending || Date.now() > deadline) return states;
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 250));
  }
}

describe("kill during a save", () => {
  it(
    "keeps every acknowledged save",
    async () => {
      const first = await start();
      const client = await first.signIn();
      const acknowledgedTitles: string[] = [];
      let lastAcknowledgedWebsite: string | undefined;
      let { version } = await readProject(client);

      // Result drafts go to the database, websites to the card file and the database.
      for (let index = 0; index < 12; index += 1) {
        const title = `Result ${index}`;
        const saved = await client.post(`${DANCE}/results`, { title, version });
        expect(saved.status).toBe(201);
        acknowledgedTitles.push(title);
        ({ version } = (await saved.json()) as { version: number });
        const website = `https://dance-${index}.example.eu/`;
        const put = await client.request("PUT", `${DANCE}/website`, { website, version });
        expect(put.status).toBe(200);
        ({ version } = (await put.json()) as { version: number });
        lastAcknowledgedWebsite = website;
      }

      // The next save is in flight when the process dies.
      const inFlightWebsite = "https://in-flight.example.eu/";
      const inFlight = client
        .request("PUT", `${DANCE}/website`, { website: inFlightWebsite, version })
        .catch(() => undefined);
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 2));
      await first.kill();
      if ((await inFlight)?.status === 200) lastAcknowledgedWebsite = inFlightWebsite;

      expect(await unreadableCards(folders.contentDir)).toEqual([]);
      expect(temporaryFiles(listFiles(folders.contentDir))).toEqual([]);

      const second = await start();
      const project = await readProject(await second.signIn());
      const titles = project.drafts.map((draft) => draft.title);
      for (const title of acknowledgedTitles) expect(titles).toContain(title);
      // The card contains the last acknowledged website, or the one in flight if it was written.
      expect([lastAcknowledgedWebsite, inFlightWebsite]).toContain(project.card.editorial?.website);
      const page = await fetch(new URL(DANCE_PAGE, second.origin));
      expect(page.status).toBe(200);
    },
    FAULT_TIMEOUT_MS,
  );
});

describe("kill during an upload", () => {
  it(
    "leaves no partial attachment",
    async () => {
      const first = await start();
      const client = await first.signIn();
      const { version } = await readProject(client);
      const created = await client.post(`${DANCE}/results`, { title: "Report", version });
      expect(created.status).toBe(201);
      const saved = (await created.json()) as { version: number; result: { id: string } };
      const { result } = saved;
      const before = listFiles(folders.mediaDir);

      // Half of the body, then nothing: the server waits for the rest when it is killed.
      const pdf = paddedPdf(512 * 1024);
      let sentHalf: () => void = () => {};
      const halfSent = new Promise<void>((resolvePromise) => {
        sentHalf = resolvePromise;
      });
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(pdf.subarray(0, pdf.length / 2));
          sentHalf();
        },
      });
      const uploading = upload(client, `${DANCE}/results/${result.id}/attachment`, body, {
        fileName: "report.pdf",
        version: saved.version,
      }).catch((error: unknown) => error);
      await halfSent;
      // Gives the server time to write the first half to its temporary file.
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 500));
      await first.kill();
      expect(await uploading).toBeInstanceOf(Error);

      const second = await start();
      const project = await readProject(await second.signIn());
      const draft = project.drafts.find((item) => item.id === result.id);
      expect(draft?.title).toBe("Report");
      expect(draft?.attachment).toBeUndefined();
      // The store removes the crashed upload's temporary file when it opens.
      expect(listFiles(folders.mediaDir)).toEqual(before);
    },
    FAULT_TIMEOUT_MS,
  );
});

describe("kill during a rebuild", () => {
  it(
    "keeps the site and publishes on restart",
    async () => {
      // A short debounce starts the rebuild soon, and a short lease lets the next server take
      // over the job the killed one had claimed.
      const env = { REBUILD_DEBOUNCE_MS: "200", REBUILD_LEASE_MS: "2000", REBUILD_POLL_MS: "200" };
      const first = await start({ env });
      const client = await first.signIn();
      const website = "https://rebuilt.example.eu/";
      const { version } = await readProject(client);
      const from = first.logs.length;
      const put = await client.request("PUT", `${DANCE}/website`, { website, version });
      expect(put.status).toBe(200);

      // The kill follows the queue's start line at once, while the publication runs.
      await first.waitForLog(
        (line) => line.msg === "rebuild started" && first.logs.indexOf(line) >= from,
      );
      await first.kill();

      // The served site is still a complete build: an incremental step replaces pages in place.
      const served = await readdir(folders.distDir);
      expect(served).toContain("index.html");
      expect(served).toContain("sitemap.xml");

      const second = await start({ env });
      const page = await fetch(new URL(DANCE_PAGE, second.origin));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(website);
      // The acknowledged rebuild request is not lost: the new server runs the job the killed
      // one had claimed, once its lease has expired.
      expect(await settledRebuildJobs(folders.databasePath)).toEqual(["done"]);
      const work = await readdir(join(folders.root, ".build"));
      expect(work.filter((name) => name.startsWith(WORK_PREFIX))).toEqual([]);
      const builds = await readdir(join(folders.root, ".build", "dist-builds"));
      expect(builds.filter((name) => name.endsWith(PARTIAL_SUFFIX))).toEqual([]);
      expect(temporaryFiles(listFiles(folders.distDir))).toEqual([]);
    },
    FAULT_TIMEOUT_MS,
  );
});

describe("corrupt card file", () => {
  it(
    "is reported by name while the site serves",
    async () => {
      const broken = cardPath(folders.contentDir, OTHER_CARD.programme, OTHER_CARD.id);
      await writeFile(broken, "---\ntitle: [unclosed\n---\nnot a card\n");
      const platform = await start();

      const name = relative(folders.contentDir, broken);
      const reported = platform.logs.filter((line) => JSON.stringify(line).includes(name));
      expect(reported.length).toBeGreaterThan(0);
      const home = await fetch(new URL("/", platform.origin));
      expect(home.status).toBe(200);
      const page = await fetch(new URL(DANCE_PAGE, platform.origin));
      expect(page.status).toBe(200);
      // The broken file stays as it was, for a person to repair.
      expect(await readFile(broken, "utf8")).toBe("---\ntitle: [unclosed\n---\nnot a card\n");
    },
    FAULT_TIMEOUT_MS,
  );
});

describe.skipIf(!canMountTmpfs())("full disk", () => {
  it(
    "rejects writes with 507 and keeps the old files",
    async () => {
      const platform = await start({
        tmpfs: [
          { path: folders.contentDir, bytes: 1024 * 1024 },
          { path: folders.mediaDir, bytes: 1024 * 1024 },
        ],
      });
      const pid = platform.child.pid;
      // Paths inside the server's mount namespace, where the tmpfs mounts exist.
      const seen = (path: string) => `/proc/${pid}/root${path}`;
      const client = await platform.signIn();
      let { version } = await readProject(client);
      const created = await client.post(`${DANCE}/results`, { title: "Report", version });
      const saved = (await created.json()) as { version: number; result: { id: string } };
      const { result } = saved;
      const attachmentPath = `${DANCE}/results/${result.id}/attachment`;
      const first = await upload(client, attachmentPath, minimalPdf(), {
        fileName: "first.pdf",
        version: saved.version,
      });
      expect(first.status).toBe(200);
      ({ version } = (await first.json()) as { version: number });
      const website = "https://before-full.example.eu/";
      const put = await client.request("PUT", `${DANCE}/website`, { website, version });
      expect(put.status).toBe(200);
      ({ version } = (await put.json()) as { version: number });
      const cardFile = seen(cardPath(folders.contentDir, DANCE_CARD.programme, DANCE_CARD.id));
      const cardBefore = await readFile(cardFile, "utf8");

      for (const folder of [folders.contentDir, folders.mediaDir]) {
        await writeFile(seen(join(folder, "filler")), Buffer.alloc(2 * 1024 * 1024)).catch(
          (error: NodeJS.ErrnoException) => {
            if (error.code !== "ENOSPC") throw error;
          },
        );
      }

      const full = await client.request("PUT", `${DANCE}/website`, {
        website: "https://after-full.example.eu/",
        version,
      });
      expect(full.status).toBe(507);
      expect(((await full.json()) as { error: { code: string } }).error.code).toBe(
        "INSUFFICIENT_STORAGE",
      );
      expect(await readFile(cardFile, "utf8")).toBe(cardBefore);
      expect(parseCardText(cardBefore).editorial?.website).toBe(website);

      const second = await upload(client, attachmentPath, paddedPdf(64 * 1024), {
        fileName: "second.pdf",
        version,
      });
      expect(second.status).toBe(507);
      const project = await readProject(client);
      const draft = project.drafts.find((item) => item.id === result.id);
      expect(draft?.attachment?.fileName).toBe("first.pdf");
      expect((await fetch(new URL("/", platform.origin))).status).toBe(200);

      // Space freed: the same writes succeed.
      await rm(seen(join(folders.contentDir, "filler")));
      await rm(seen(join(folders.mediaDir, "filler")));
      const retried = await client.request("PUT", `${DANCE}/website`, {
        website: "https://after-full.example.eu/",
        version: (await readProject(client)).version,
      });
      expect(retried.status).toBe(200);
      expect(temporaryFiles(listFiles(seen(folders.contentDir)))).toEqual([]);
      expect(temporaryFiles(listFiles(seen(folders.mediaDir)))).toEqual([]);
    },
    FAULT_TIMEOUT_MS,
  );
});
