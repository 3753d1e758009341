/**
 * The `datapackage.json` description of the open data, in the Frictionless Data Package form:
 * licence, attribution, creation date, and per file its format, size, SHA-256, row count and,
 * for the CSV, its fields.
 */
import { basename } from "node:path";
import type { CommittedFile } from "./atomic-writer.ts";
import { ERASMUS_PLUS_HEADERS, GRANT_HEADER, MAX_LAYOUT_PARTNERS } from "./layout.ts";

export const LICENCE = {
  name: "CC-BY-4.0",
  title: "Creative Commons Attribution 4.0 International",
  path: "https://creativecommons.org/licenses/by/4.0/",
};
export const ATTRIBUTION = "© European Union";

function fieldType(header: string): string {
  if (header === "Call year") return "integer";
  if (header === GRANT_HEADER) return "number";
  return "string";
}

export function dataPackage(input: {
  created: Date;
  cards: number;
  csv: CommittedFile;
  json: CommittedFile;
}) {
  return {
    name: "eu-project-results",
    title: "EU project results: project cards",
    description:
      "Projects funded by Erasmus+, Creative Europe and their predecessor programmes, with their published results.",
    created: input.created.toISOString(),
    licenses: [LICENCE],
    attribution: ATTRIBUTION,
    resources: [
      {
        name: "projects-csv",
        path: basename(input.csv.path),
        format: "csv",
        mediatype: "text/csv",
        encoding: "utf-8",
        bytes: input.csv.bytes,
        hash: `sha256:${input.csv.sha256}`,
        rows: input.cards,
        description: `One row per project in the Erasmus+ 2014-2020 export layout, ${MAX_LAYOUT_PARTNERS} partners at most. The file starts with a UTF-8 byte order mark. Cells starting with =, +, -, @, a tab or a carriage return are prefixed with ' so that spreadsheet programs do not run them as formulas.`,
        dialect: {
          delimiter: ",",
          lineTerminator: "\r\n",
          quoteChar: '"',
          doubleQuote: true,
          header: true,
        },
        schema: {
          fields: ERASMUS_PLUS_HEADERS.map((name) => ({ name, type: fieldType(name) })),
        },
      },
      {
        name: "projects-json",
        path: basename(input.json.path),
        format: "json",
        mediatype: "application/json",
        encoding: "utf-8",
        bytes: input.json.bytes,
        hash: `sha256:${input.json.sha256}`,
        rows: input.cards,
        description:
          "An array of project cards: contractual data, summary, logo, website, published results and public contacts.",
      },
    ],
  };
}
