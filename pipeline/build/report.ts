/** The build report: what each step did and every problem it met, written as `build-report.json`. */

/** One problem met during a build. The build goes on unless the step itself failed. */
export interface BuildIssue {
  /** Stable code, such as `CARD_INVALID` or `LOGO_INVALID`. */
  code: string;
  step: "content" | "images" | "astro" | "pagefind" | "open-data" | "sitemap";
  message: string;
  cardId?: string;
  /** File at fault, relative to the content or media folder. */
  file?: string;
}

export interface StepTiming {
  step: string;
  milliseconds: number;
  /** What the step handled, such as the number of pages or logos. */
  count?: number;
}

export interface BuildReport {
  startedAt: string;
  finishedAt: string;
  contentDir: string;
  outDir: string;
  cardFiles: number;
  cards: number;
  pages: number;
  indexedPages: number;
  /** Site paths of the Pagefind bundles, the primary `/pagefind/` first. */
  searchBundles: string[];
  logos: number;
  steps: StepTiming[];
  issues: BuildIssue[];
}
