/** Page helpers for the search page tests: waiting for a search and reading what it shows. */
import type { Page } from "playwright-core";

/** Builds the start of the status sentence for `total` hits, as `site/search/render.ts` does. */
export function statusHead(total: number, query: string, filterCount: number): string {
  const noun = total === 1 ? "project matches" : "projects match";
  const words = query === "" ? "" : ` “${query}”`;
  const filters =
    filterCount === 0 ? "" : ` with ${filterCount} filter${filterCount === 1 ? "" : "s"}`;
  return `${total === 0 ? "No" : total} ${noun}${words}${filters}.`;
}

/** Waits until no search is running and the status sentence starts with `head`. */
export async function waitForStatus(page: Page, head: string): Promise<void> {
  try {
    await page.waitForFunction(
      (expected) => {
        const app = document.getElementById("search-app");
        const status = document.getElementById("search-status")?.textContent ?? "";
        return app !== null && !app.hasAttribute("aria-busy") && status.startsWith(expected);
      },
      head,
      { timeout: 15_000 },
    );
  } catch (error) {
    const statusText = await page.textContent("#search-status").catch(() => null);
    throw new Error(`search status never became "${head}"; it shows "${statusText}"`, {
      cause: error,
    });
  }
}

/** Links of the hits on the visible result page, as paths. */
export function hitPaths(page: Page): Promise<string[]> {
  return page.$$eval("#search-hits a.ecl-link", (links) =>
    links.map((link) => new URL((link as HTMLAnchorElement).href).pathname),
  );
}

/** Reads the count shown for one choice of a filter list; undefined when the choice is absent. */
export function choiceCount(page: Page, key: string, value: string) {
  return page.$eval(
    `#filter-${key}`,
    (select, wanted) => {
      const option = [...(select as HTMLSelectElement).options].find((o) => o.value === wanted);
      return option
        ? { count: Number(option.dataset.count), disabled: option.disabled }
        : undefined;
    },
    value,
  );
}
