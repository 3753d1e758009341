import { describe, expect, it } from "vitest";
import { orderPages, PAGES_PER_SHARD, pagesPerShardFromEnv } from "./pagefind.ts";

describe("pagesPerShardFromEnv", () => {
  it("defaults when unset", () => {
    expect(pagesPerShardFromEnv({})).toBe(PAGES_PER_SHARD);
    expect(pagesPerShardFromEnv({ SEARCH_SHARD_PAGES: " " })).toBe(PAGES_PER_SHARD);
  });

  it("reads a positive integer", () => {
    expect(pagesPerShardFromEnv({ SEARCH_SHARD_PAGES: "10" })).toBe(10);
  });

  for (const value of ["0", "-3", "2.5", "ten"]) {
    it(`rejects ${value}`, () => {
      expect(() => pagesPerShardFromEnv({ SEARCH_SHARD_PAGES: value })).toThrow(
        `SEARCH_SHARD_PAGES is invalid: "${value}"`,
      );
    });
  }
});

describe("orderPages", () => {
  it("keeps pages without an order", () => {
    expect(orderPages(["b", "a"], undefined)).toEqual(["b", "a"]);
  });

  it("follows the order, unknown pages last", () => {
    expect(orderPages(["a", "z", "b", "c"], ["c", "a", "b"])).toEqual(["c", "a", "b", "z"]);
  });
});
