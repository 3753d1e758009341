/**
 * Controller of the search page: reads the state from the URL, runs it through Pagefind, renders
 * the hits of the visible page and the filter counts, and keeps the URL in step with the form.
 *
 * History: typing replaces the current history entry, so a query gets one entry and not one per
 * key. A submitted query, a filter, the sort or a page change pushes a new entry. Back and forward
 * then walk through the searches, and `popstate` restores each one.
 */
import "./search.css";
import { FACETS, FLAG_VALUE, isSortKey, PAGE_SIZE } from "./facets.ts";
import { isIndexCurrent, loadPagefind, reloadPagefind, type SearchIndex } from "./pagefind.ts";
import { countChoices, loadCatalogueCounts, searchHits } from "./query.ts";
import { fillForm, hitElement, paginationElement, renderFacets, statusText } from "./render.ts";
import { isBlank, parseState, type SearchState, serializeState } from "./state.ts";

/**
 * Pause after the last key press before the query runs, in milliseconds. The page debounces on
 * its own, with `preload` while typing, in place of `pagefind.debouncedSearch`, because one state
 * runs several searches (the hits, then the counts of each selected facet).
 */
const TYPING_DELAY_MS = 300;

/**
 * Characters typed before the page preloads word chunks. Pagefind loads every chunk whose word
 * range a prefix reaches, in every shard, and one or two letters reach the most chunks.
 */
const MIN_PRELOAD_LENGTH = 3;

interface Elements {
  app: HTMLElement;
  form: HTMLFormElement;
  query: HTMLInputElement;
  sort: HTMLSelectElement;
  status: HTMLElement;
  heading: HTMLElement;
  hits: HTMLOListElement;
  pagination: HTMLElement;
  reset: HTMLButtonElement;
}

function findElements(): Elements | undefined {
  const byId = (id: string) => document.getElementById(id);
  const elements = {
    app: byId("search-app"),
    form: byId("search-form"),
    query: byId("search-query"),
    sort: byId("search-sort"),
    status: byId("search-status"),
    heading: byId("search-results-heading"),
    hits: byId("search-hits"),
    pagination: byId("search-pagination"),
    reset: byId("search-reset"),
  };
  if (Object.values(elements).some((element) => element === null)) return undefined;
  return elements as unknown as Elements;
}

/** Reads the state the form shows; the page goes back to 1 because the hits change. */
function stateFromForm(elements: Elements): SearchState {
  const filters: Record<string, string> = {};
  for (const facet of FACETS) {
    const control = elements.form.elements.namedItem(facet.key);
    if (control instanceof HTMLInputElement && control.checked) filters[facet.key] = FLAG_VALUE;
    if (control instanceof HTMLSelectElement && control.value !== "") {
      filters[facet.key] = control.value;
    }
  }
  const sort = isSortKey(elements.sort.value) ? elements.sort.value : "relevance";
  return { query: elements.query.value.trim(), filters, sort, page: 1 };
}

/** Wires the search page once its markup is in the document. */
export function startSearchPage() {
  const elements = findElements();
  if (!elements) return;
  elements.app.hidden = false;

  let current = parseState(window.location.search);
  /** Number of the latest search; an older one that finishes late renders nothing. */
  let generation = 0;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;

  const urlOf = (state: SearchState) => `${window.location.pathname}${serializeState(state)}`;

  const show = async (state: SearchState, options: { focusResults?: boolean } = {}) => {
    const run = ++generation;
    current = state;
    elements.app.setAttribute("aria-busy", "true");
    try {
      if (isBlank(state)) {
        await renderBlank(state, run);
        return;
      }
      const focus = options.focusResults ?? false;
      let indexCurrent = true;
      try {
        const index = await loadPagefind();
        if (run !== generation) return;
        // The check runs beside the search, so a current index costs no wait.
        const check = isIndexCurrent(index).catch(() => true);
        await render(index, state, run, focus);
        indexCurrent = await check;
      } catch (error) {
        // A fragment fetch fails when its shard moved after the index was loaded.
        console.warn("search failed, loading the index again", error);
        indexCurrent = false;
      }
      if (indexCurrent || run !== generation) return;
      reloadPagefind();
      const index = await loadPagefind();
      if (run !== generation) return;
      await render(index, state, run, focus);
    } catch (error) {
      if (run !== generation) return;
      elements.hits.replaceChildren();
      elements.pagination.replaceChildren();
      elements.status.textContent =
        "The search index could not be loaded. Reload the page, or browse the projects by programme.";
      // The page has no logger: the console is where a site maintainer looks for the cause.
      console.error("search failed", error);
    } finally {
      if (run === generation) elements.app.removeAttribute("aria-busy");
    }
  };

  /** Shows the catalogue counts without loading Pagefind, which loads once the visitor searches. */
  const renderBlank = async (state: SearchState, run: number) => {
    const totals = await loadCatalogueCounts(async () => (await loadPagefind()).pagefind);
    if (run !== generation) return;
    renderFacets(elements.form, totals, state);
    elements.hits.replaceChildren();
    elements.pagination.replaceChildren();
    elements.status.textContent = "Type a word or choose a filter to find projects.";
  };

  const render = async (index: SearchIndex, state: SearchState, run: number, focus: boolean) => {
    const results = await searchHits(index, state);
    if (run !== generation) return;
    const total = results.length;
    const lastPage = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(state.page, lastPage);
    const start = (page - 1) * PAGE_SIZE;
    // Only the fragments of the visible page are fetched, one small file per hit.
    const visible = await Promise.all(
      results.slice(start, start + PAGE_SIZE).map((result) => result.data()),
    );
    if (run !== generation) return;

    elements.hits.replaceChildren(...visible.map(hitElement));
    elements.hits.start = start + 1;
    const pageState = { ...state, page };
    if (page !== state.page) {
      // A page number past the end (an old bookmark) shows the last page and the URL is corrected.
      current = pageState;
      window.history.replaceState(null, "", urlOf(pageState));
    }
    elements.pagination.replaceChildren(
      ...(lastPage > 1
        ? [paginationElement(page, lastPage, (n) => urlOf({ ...pageState, page: n }))]
        : []),
    );
    elements.status.textContent = statusText(state, total, start + 1, start + visible.length);
    if (focus) elements.heading.focus();

    // The hits are on screen. The counts follow, and `aria-busy` stays until they do.
    const counts = await countChoices(index, state);
    if (run !== generation) return;
    renderFacets(elements.form, counts, state);
  };

  const navigate = (state: SearchState, mode: "push" | "replace", focusResults = false) => {
    const url = urlOf(state);
    if (`${window.location.pathname}${window.location.search}` !== url) {
      if (mode === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    }
    void show(state, { focusResults });
  };

  elements.form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typingTimer);
    navigate(stateFromForm(elements), "push", true);
  });

  elements.form.addEventListener("change", (event) => {
    if (event.target === elements.query) return;
    clearTimeout(typingTimer);
    navigate(stateFromForm(elements), "push");
  });

  elements.query.addEventListener("input", () => {
    const term = elements.query.value.trim();
    clearTimeout(typingTimer);
    if (term.length >= MIN_PRELOAD_LENGTH) {
      // Starts fetching the word chunk for this prefix while the user is still typing.
      void loadPagefind()
        .then((index) => index.pagefind.preload(term))
        .catch(() => {});
    }
    typingTimer = setTimeout(() => {
      const state = stateFromForm(elements);
      // The first query typed gets its own history entry; later key presses refine it.
      navigate(state, current.query === "" ? "push" : "replace");
    }, TYPING_DELAY_MS);
  });

  elements.reset.addEventListener("click", () => {
    clearTimeout(typingTimer);
    const state: SearchState = { query: "", filters: {}, sort: "relevance", page: 1 };
    fillForm(elements.form, state);
    navigate(state, "push");
    elements.query.focus();
  });

  elements.pagination.addEventListener("click", (event) => {
    const link = (event.target as Element).closest("a[data-page]");
    if (!(link instanceof HTMLAnchorElement)) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate({ ...current, page: Number(link.dataset.page) }, "push", true);
  });

  window.addEventListener("popstate", () => {
    clearTimeout(typingTimer);
    const state = parseState(window.location.search);
    fillForm(elements.form, state);
    void show(state);
  });

  // Loads the Pagefind entry files early when the user shows intent to search.
  elements.query.addEventListener("focus", () => void loadPagefind().catch(() => {}), {
    once: true,
  });

  fillForm(elements.form, current);
  void show(current);
}
