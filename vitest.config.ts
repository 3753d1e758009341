import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "pipeline/**/*.test.ts",
      "editor-api/**/*.test.ts",
      "site/**/*.test.ts",
      "e2e/**/*.test.ts",
      "scripts/**/*.test.ts",
      "bench/**/*.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
