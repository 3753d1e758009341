import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { storageFullError } from "./errors.ts";

function fileSystemError(code: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: write failed`);
  error.code = code;
  return error;
}

describe("storageFullError", () => {
  it("maps ENOSPC and EDQUOT to 507", () => {
    for (const code of ["ENOSPC", "EDQUOT"]) {
      const mapped = storageFullError(fileSystemError(code));
      expect(mapped?.code).toBe("INSUFFICIENT_STORAGE");
      expect(mapped?.status).toBe(507);
      expect(mapped?.message).toContain(code);
    }
  });

  it("maps a full SQLite database to 507", () => {
    const db = new DatabaseSync(":memory:");
    db.exec("CREATE TABLE notes (text TEXT)");
    db.exec("PRAGMA max_page_count = 3");
    let failure: unknown;
    try {
      for (let row = 0; row < 100; row += 1) {
        db.prepare("INSERT INTO notes VALUES (?)").run("x".repeat(2000));
      }
    } catch (error) {
      failure = error;
    } finally {
      db.close();
    }
    expect(failure).toBeInstanceOf(Error);
    const mapped = storageFullError(failure);
    expect(mapped?.code).toBe("INSUFFICIENT_STORAGE");
    expect(mapped?.message).toContain("SQLITE_FULL");
  });

  it("maps PostgreSQL disk_full to 507", () => {
    const error = Object.assign(new Error("could not extend file"), { code: "53100" });
    expect(storageFullError(error)?.code).toBe("INSUFFICIENT_STORAGE");
  });

  it("finds a full disk in the cause chain", () => {
    const wrapped = new Error("card write failed", { cause: fileSystemError("ENOSPC") });
    expect(storageFullError(wrapped)?.code).toBe("INSUFFICIENT_STORAGE");
  });

  it("leaves other errors alone", () => {
    expect(storageFullError(fileSystemError("EACCES"))).toBeUndefined();
    expect(storageFullError(new Error("bug"))).toBeUndefined();
    expect(storageFullError("ENOSPC")).toBeUndefined();
  });
});
