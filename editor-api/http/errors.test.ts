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
