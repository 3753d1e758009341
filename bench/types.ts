/** Shapes shared by the benchmark harness and its cases. */

/** One measured figure. */
export type BenchRow = {
  /** Name of the measured figure, such as `import rows/s`. */
  name: string;
  /** Input size the figure belongs to (cards or rows). */
  size: number;
  value: number;
  unit: string;
  /** The same kind of figure for a baseline measured in the same run, in the same unit. */
  reference?: number;
  /** Description of the reference, such as `csv-parse only`. */
  referenceLabel?: string;
  /** `value / reference`; the harness fills it in when a reference is given. */
  ratio?: number;
};

export type BenchContext = {
  size: number;
  /** Empty folder for the case's files, deleted after the case. */
  workDir: string;
  repoRoot: string;
  /** Progress line on stderr. */
  log(message: string): void;
};

/** A benchmark case: one file in `bench/cases/` whose default export has this shape. */
export type BenchCase = {
  /** Name used by `--only`, such as `import`. */
  name: string;
  description: string;
  /** Returns why the case cannot run here (a missing module, say), or undefined to run it. */
  skipReason?(context: BenchContext): Promise<string | undefined>;
  run(context: BenchContext): Promise<BenchRow[]>;
};

/** Message from a case's child process to the harness. */
export type ChildReport =
  | { kind: "rows"; rows: BenchRow[]; maxRssKiB: number }
  | { kind: "skipped"; reason: string }
  | { kind: "failed"; message: string };
