import { describe, expect, it } from "vitest";
import { safeReturnPath, signInPath } from "./api.ts";
import { formErrors } from "./form.ts";

describe("safeReturnPath", () => {
  it.each([
    ["/dashboard/projects/EACEA-1/", "/dashboard/projects/EACEA-1/"],
    ["/review/?page=2", "/review/?page=2"],
    ["/a/../account/", "/account/"],
  ])("keeps the same-site path %s", (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected);
  });

  it.each([
    ["//evil.example/x"],
    ["https://evil.example/"],
    ["/\\evil.example"],
    ["javascript:alert(1)"],
    [""],
    [null],
  ])("replaces %s with the fallback", (input) => {
    expect(safeReturnPath(input, "/dashboard/")).toBe("/dashboard/");
  });
});

describe("signInPath", () => {
  it("encodes the current path and query", () => {
    expect(signInPath(new URL("http://127.0.0.1/review/X-1/?tab=2"))).toBe(
      "/account/sign-in?return=%2Freview%2FX-1%2F%3Ftab%3D2",
    );
  });
});

describe("formErrors", () => {
  it("puts field issues next to their fields", () => {
    const state = formErrors(
      { email: "x", password: "" },
      {
        code: "INVALID_INPUT",
        message: "Invalid request json: check email, password.",
        issues: [
          { path: ["email"], code: "invalid_format", message: "Invalid e-mail address." },
          { path: ["password"], code: "too_small", message: "Use at least 12 characters." },
        ],
      },
    );
    expect(state.fields).toEqual([
      { field: "email", message: "Invalid e-mail address." },
      { field: "password", message: "Use at least 12 characters." },
    ]);
    expect(state.general).toEqual([]);
  });

  it("keeps the message when no issue names a field", () => {
    const state = formErrors(
      { login: "someone" },
      { code: "INVALID_CREDENTIALS", message: "Wrong username or password." },
    );
    expect(state.fields).toEqual([]);
    expect(state.general).toEqual(["Wrong username or password."]);
  });

  it("maps an issue path onto another field name", () => {
    const state = formErrors(
      { token: "abc" },
      {
        code: "INVALID_INPUT",
        message: "Invalid request.",
        issues: [{ path: ["newEmail"], code: "invalid_format", message: "Invalid address." }],
      },
      { newEmail: "email" },
    );
    expect(state.fields).toEqual([{ field: "email", message: "Invalid address." }]);
  });
});
