/** Public API of the importer, for the CLI, the benchmark and the editor API. */
export { checkCellCount } from "./cell-count.ts";
export { agencyOf, splitProgrammePath, yearInReference } from "./derive.ts";
export { type ImportOptions, type ImportProgress, importFiles } from "./import.ts";
export { guessLanguage } from "./language.ts";
export {
  type ColumnRef,
  detectLayout,
  isLayoutError,
  type Layout,
  type LayoutError,
  type LayoutKind,
  normaliseHeader,
} from "./layout.ts";
export { type ImportedCard, type MappedRow, type RowIssue, rowToCard } from "./map.ts";
export { type ExportFile, type ExportRow, openExport, readExportRows } from "./reader.ts";
export {
  type FileSummary,
  formatSummary,
  type ImportSummary,
  type ReportEntry,
  writeReport,
} from "./report.ts";
export { type WriteOutcome, writeImportedCard } from "./write.ts";
