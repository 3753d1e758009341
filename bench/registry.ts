/** Finds the benchmark cases: every `.ts` file in `bench/cases/` except tests. */
import { readdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BenchCase } from "./types.ts";

export type RegisteredCase = { name: string; description: string; file: string };

export async function listCases(casesDir: string): Promise<RegisteredCase[]> {
  const names = (await readdir(casesDir))
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"))
    .sort();
  const cases: RegisteredCase[] = [];
  for (const name of names) {
    const file = join(casesDir, name);
    const benchCase = (await import(pathToFileURL(file).href)).default as BenchCase | undefined;
    if (!benchCase || typeof benchCase.run !== "function") {
      throw new Error(
        `invalid benchmark case ${file}: its default export must be an object with name and run()`,
      );
    }
    if (benchCase.name !== basename(name, ".ts")) {
      throw new Error(
        `invalid benchmark case ${file}: its name "${benchCase.name}" must match the file name`,
      );
    }
    cases.push({ name: benchCase.name, description: benchCase.description, file });
  }
  return cases;
}
