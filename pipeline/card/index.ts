export * from "./file.ts";
export * from "./labels.ts";
export * from "./paths.ts";
export * from "./schema.ts";
