/**
 * Browser helpers of the end-to-end tests: the system Chromium driven by playwright-core, a fresh
 * context per test, and an axe-core audit against WCAG 2.2 AA.
 */
import { createRequire } from "node:module";
import type { AxeResults, RunOptions } from "axe-core";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

const require = createRequire(import.meta.url);

/** Chromium of the operating system; the tests never download a browser. */
const CHROMIUM_PATH = "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The WCAG levels audited: A and AA of WCAG 2.0, 2.1 and 2.2. */
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * Opens a page in a new context, so no cookie, cache or history leaks from one test to another.
 * Requests to any host other than `allowedOrigin` are aborted, so a page cannot reach the network.
 */
export async function openPage(
  browser: Browser,
  allowedOrigin: string,
): Promise<{ context: BrowserContext; page: Page; blocked: string[] }> {
  // bypassCSP lets axe-core be injected into pages served with a strict Content-Security-Policy.
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    bypassCSP: true,
  });
  const blocked: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(`${allowedOrigin}/`) || url.startsWith("data:") || url.startsWith("blob:")) {
      return route.continue();
    }
    blocked.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  // Fails a stuck step with its own message well before the test timeout.
  page.setDefaultTimeout(10_000);
  return { context, page, blocked };
}

interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Lists violations one per line: rule id, impact, help text and the failing elements. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((violation) => {
      const targets = violation.nodes.map((node) => JSON.stringify(node.target)).join(", ");
      return `${violation.id} (${violation.impact ?? "no impact"}): ${violation.help} at ${targets}`;
    })
    .join("\n");
}

/** Runs axe-core on the current page and returns its WCAG 2.2 AA violations. */
export async function auditAccessibility(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  return page.evaluate(async (tags) => {
    type Axe = { run(context: Document, options: RunOptions): Promise<AxeResults> };
    const axe = (window as unknown as { axe: Axe }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({ target: node.target })),
    }));
  }, AXE_TAGS);
}
