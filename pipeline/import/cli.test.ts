import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ImportSummary } from "./report.ts";
import { stubCsv } from "./test-data.ts";

const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd }, (error, stdout, stderr) => {
      let code = 0;
      if (error) code = typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "import-cli-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("import command", () => {
  it("prints the summary and writes the report", async () => {
    const stub = stubCsv("ErasmusPlus_KA1_2014_LearningMobilityOfIndividuals_Projects_Overview");
    const result = await run(["--content", "out", "--report", "report.json", stub], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe(
      `${stub} (erasmus-plus-2014-2020): 1 rows read, 1 created, 0 updated, 0 unchanged, 0 rejected, 0 warnings`,
    );
    expect(lines[1]).toMatch(
      /^total: 1 rows read, 1 created, 0 updated, 0 unchanged, 0 rejected, 0 warnings in \d+\.\d s \(\d+ rows\/s\)$/,
    );
    expect(lines[2]).toBe(`report: ${join(dir, "report.json")}`);

    const report = JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as ImportSummary;
    expect(report.contentDir).toBe(join(dir, "out"));
    expect(report.totals.created).toBe(1);
    expect(report.entries).toEqual([]);
    expect(await readdir(join(dir, "out", "projects", "erasmus-plus"))).toEqual([
      "2014-1-de03-ka101-000001.md",
    ]);
  });

  it("writes the report under reports/ by default", async () => {
    const stub = stubCsv("Tempus_Projects_Overview");
    const result = await run([stub], dir);
    expect(result.code).toBe(0);
    const reports = await readdir(join(dir, "reports"));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/^import-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.json$/);
    expect(await readdir(join(dir, "content", "projects"))).toEqual(["tempus"]);
  });

  it("exits 1 when a file is not an export", async () => {
    await writeFile(join(dir, "notes.csv"), "Name,Email\nJane,jane@example.eu\n");
    const result = await run(["--report", "r.json", "notes.csv"], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "failed: not a project export: missing required column(s) Project Identifier (or Project Number), Project Title, Programme (or Programme Funding)",
    );
  });

  it("exits 1 when a file does not exist", async () => {
    const result = await run(["--report", "r.json", "missing.csv"], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("failed: file not found: missing.csv; check the path");
  });

  it("exits 1 before reading when the content folder is not writable", async () => {
    // A path below a regular file fails for every user, root included, unlike a chmod.
    await writeFile(join(dir, "blocker"), "");
    const stub = stubCsv("Tempus_Projects_Overview");
    const result = await run(["--content", "blocker/content", "--report", "r.json", stub], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `content folder ${join(dir, "blocker", "content")} is not writable (ENOTDIR): choose another --content or fix its permissions\n`,
    );
    expect(result.stdout).toBe("");
    expect(await readdir(dir)).toEqual(["blocker"]);
  });

  it("exits 2 before importing when the report cannot be written", async () => {
    await writeFile(join(dir, "blocker"), "");
    const stub = stubCsv("Tempus_Projects_Overview");
    const result = await run(["--content", "out", "--report", "blocker/r.json", stub], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `report ${join(dir, "blocker", "r.json")} cannot be written (ENOTDIR): choose another --report or fix the folder's permissions\n`,
    );
    expect(await readdir(dir)).toEqual(["blocker"]);
  });

  it("exits 2 when the report path is a folder", async () => {
    const stub = stubCsv("Tempus_Projects_Overview");
    const result = await run(["--content", "out", "--report", ".", stub], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`report ${dir} cannot be written (EISDIR)`);
  });

  it("prints the summary when the report fails at the end", async () => {
    // The report path passes the check, then the import creates a folder of cards there.
    const stub = stubCsv("Tempus_Projects_Overview");
    const result = await run(["--content", "out", "--report", "out/projects/tempus", stub], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^total: 1 rows read, 1 created, /m);
    expect(result.stdout).not.toContain("report:");
    expect(result.stderr).toMatch(
      /^report \S+\/out\/projects\/tempus could not be written \(EISDIR\); the cards were imported, so run again with another --report to get the report\n$/,
    );
  });

  it("warns about a file with a header and no data rows", async () => {
    const stub = stubCsv("Tempus_Projects_Overview");
    const header = (await readFile(stub, "utf8")).split(/\r?\n/)[0];
    await writeFile(join(dir, "empty.csv"), `${header}\r\n`);
    const result = await run(["--content", "out", "--report", "r.json", "empty.csv"], dir);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^empty\.csv \(\S+\): 0 rows read, .*, 1 warnings$/);
    expect(lines[1]).toBe(
      "  warning: no data rows: the file has a header row only; check that the export was not cut short",
    );
    const report = JSON.parse(await readFile(join(dir, "r.json"), "utf8")) as ImportSummary;
    expect(report.totals.warnings).toBe(1);
    expect(report.entries).toEqual([
      {
        severity: "warning",
        code: "NO_DATA_ROWS",
        file: "empty.csv",
        line: 1,
        reason:
          "no data rows: the file has a header row only; check that the export was not cut short",
      },
    ]);
  });

  it("prints a row cut short", async () => {
    const stub = await readFile(stubCsv("Tempus_Projects_Overview"), "utf8");
    const [header, row] = stub.split(/\r?\n/);
    await writeFile(join(dir, "cut.csv"), `${header}\r\n${(row as string).slice(0, 40)}`);
    const result = await run(["--content", "out", "--report", "r.json", "cut.csv"], dir);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^cut\.csv \(\S+\): 1 rows read, 0 created, .*, 1 rejected, /);
    expect(lines[1]).toMatch(
      /^ {2}rejected line 2: the row has \d+ cells but the header has \d+, /,
    );
  });

  it.each([[[]], [["--colour", "x.csv"]], [["--content"]]])(
    "exits 2 on bad usage %j",
    async (args) => {
      const result = await run(args, dir);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        "Usage: npm run import -- [--content DIR] [--report FILE] FILE...",
      );
      expect(result.stdout).toBe("");
    },
  );

  it("prints the usage on --help", async () => {
    const result = await run(["--help"], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--report FILE   where to write the JSON report");
  });
});

describe("import command with --contacts", () => {
  const sample = fileURLToPath(new URL("../contacts/sample-contacts.csv", import.meta.url));

  it("stores the feed in the database", async () => {
    const result = await run(["--contacts", sample, "--database", "var/editor.db"], dir);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^contacts: 12 imported, 0 rows left out/);

    const { DatabaseSync } = await import("node:sqlite");
    const db = new DatabaseSync(join(dir, "var", "editor.db"));
    const row = db.prepare("SELECT count(*) AS count FROM project_contacts").get() as {
      count: number;
    };
    db.close();
    expect(row.count).toBe(12);
  });

  it("rejects a file that is not a feed", async () => {
    await writeFile(join(dir, "feed.csv"), "a;b\n1;2\n");
    const result = await run(["--contacts", "feed.csv", "--database", "db.sqlite"], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("rejected; the previous feed is kept");
  });

  it("rejects a binary feed in one printable line", async () => {
    await writeFile(
      join(dir, "feed.bin"),
      Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x1b, 0x5b, 0x32, 0x4a]),
    );
    const result = await run(["--contacts", "feed.bin", "--database", "db.sqlite"], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'feed.bin:1: not a text file: it contains a NUL byte at offset 3; give the contacts feed as a CSV text file (UTF-8, ";" between fields)\n' +
        "contacts feed feed.bin rejected; the previous feed is kept\n",
    );
  });

  it("refuses export files beside --contacts", async () => {
    const result = await run(["--contacts", sample, "export.csv"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--contacts takes no export files");
  });
});
