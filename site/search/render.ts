/**
 * DOM updates of the search page. Metadata from the index is always inserted as text; the only
 * markup taken from Pagefind is the `<mark>` of an excerpt, rebuilt element by element.
 */
import { FACETS, type Facet, FLAG_VALUE } from "./facets.ts";
import type { FilterCounts, PagefindResultData } from "./pagefind.ts";
import type { SearchState } from "./state.ts";

function sortedValues(facet: Facet, counts: Record<string, number>): string[] {
  const values = Object.keys(counts);
  if (facet.order === "numeric-desc") return values.sort((a, b) => Number(b) - Number(a));
  return values.sort((a, b) => a.localeCompare(b, "en"));
}

/**
 * Refills the filter controls with the counts of the current search. A choice without hits is
 * disabled, unless it is the current selection, so it stays visible and can be cleared.
 */
export function renderFacets(form: HTMLFormElement, counts: FilterCounts, state: SearchState) {
  for (const facet of FACETS) {
    const valueCounts = counts[facet.key] ?? {};
    const selected = state.filters[facet.key];
    if (facet.kind === "flag") {
      renderFlag(form, facet, valueCounts[FLAG_VALUE] ?? 0, selected === FLAG_VALUE);
      continue;
    }
    const select = form.elements.namedItem(facet.key);
    if (!(select instanceof HTMLSelectElement)) continue;

    const options: HTMLOptionElement[] = [new Option("Any", "")];
    const values = sortedValues(facet, valueCounts);
    if (selected !== undefined && !values.includes(selected)) values.unshift(selected);
    for (const value of values) {
      const count = valueCounts[value] ?? 0;
      const option = new Option(`${value} (${count})`, value);
      option.dataset.count = String(count);
      option.disabled = count === 0 && value !== selected;
      options.push(option);
    }
    select.replaceChildren(...options);
    select.value = selected ?? "";
  }
}

function renderFlag(form: HTMLFormElement, facet: Facet, count: number, checked: boolean) {
  const input = form.elements.namedItem(facet.key);
  if (!(input instanceof HTMLInputElement)) return;
  input.checked = checked;
  input.disabled = count === 0 && !checked;
  input.dataset.count = String(count);
  const text = form.querySelector(`[data-flag-count="${facet.key}"]`);
  if (text) text.textContent = `(${count})`;
}

/** Puts the query, the sort and the selections of `state` into the form controls. */
export function fillForm(form: HTMLFormElement, state: SearchState) {
  const query = form.elements.namedItem("q");
  if (query instanceof HTMLInputElement) query.value = state.query;
  const sort = document.getElementById("search-sort");
  if (sort instanceof HTMLSelectElement) sort.value = state.sort;
  for (const facet of FACETS) {
    const control = form.elements.namedItem(facet.key);
    const selected = state.filters[facet.key];
    if (control instanceof HTMLInputElement) control.checked = selected === FLAG_VALUE;
    if (control instanceof HTMLSelectElement) {
      if (selected !== undefined && ![...control.options].some((o) => o.value === selected)) {
        control.add(new Option(selected, selected));
      }
      control.value = selected ?? "";
    }
  }
}

/** Builds the excerpt as text nodes and `<mark>` elements, whatever markup the string holds. */
export function excerptNodes(excerpt: string): Node[] {
  const parsed = new DOMParser().parseFromString(`<body>${excerpt}</body>`, "text/html");
  const nodes: Node[] = [];
  for (const node of parsed.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent ?? ""));
    }
  }
  return nodes;
}

function listItem(className: string, text: string): HTMLLIElement {
  const item = document.createElement("li");
  item.className = className;
  item.textContent = text;
  return item;
}

/** Splits the `labels` metadata (such as `Good practice, Success story`) into labels. */
export function splitLabels(labels: string | undefined): string[] {
  if (!labels) return [];
  return labels
    .split(/[,;|]/)
    .map((label) => label.trim())
    .filter((label) => label !== "");
}

/** Builds one hit: title link, programme, call year, coordinator, country, labels, excerpt. */
export function hitElement(hit: PagefindResultData): HTMLLIElement {
  const item = document.createElement("li");
  item.className = "search-hit";
  const block = document.createElement("article");
  block.className = "ecl-content-block";

  const primary = document.createElement("ul");
  primary.className = "ecl-content-block__primary-meta-container";
  if (hit.meta.programme) {
    primary.append(listItem("ecl-content-block__primary-meta-item", hit.meta.programme));
  }
  if (hit.meta.callYear) {
    primary.append(
      listItem("ecl-content-block__primary-meta-item", `Call year ${hit.meta.callYear}`),
    );
  }

  const title = document.createElement("h3");
  title.className = "ecl-content-block__title";
  const link = document.createElement("a");
  link.className = "ecl-link ecl-link--standalone";
  link.href = hit.url;
  link.textContent = hit.meta.title || hit.url;
  title.append(link);

  const excerpt = document.createElement("p");
  excerpt.className = "ecl-content-block__description";
  excerpt.append(...excerptNodes(hit.excerpt));

  const secondary = document.createElement("ul");
  secondary.className = "ecl-content-block__secondary-meta-container";
  if (hit.meta.coordinator) {
    secondary.append(
      listItem("ecl-content-block__secondary-meta-item", `Coordinator: ${hit.meta.coordinator}`),
    );
  }
  if (hit.meta.coordinatorCountry) {
    const country = `Country: ${hit.meta.coordinatorCountry}`;
    secondary.append(listItem("ecl-content-block__secondary-meta-item", country));
  }

  block.append(primary, title, excerpt, secondary);
  const labels = splitLabels(hit.meta.labels);
  if (labels.length > 0) {
    const container = document.createElement("ul");
    container.className = "ecl-content-block__label-container";
    for (const text of labels) {
      const item = document.createElement("li");
      item.className = "ecl-content-block__label-item";
      const label = document.createElement("span");
      label.className = "ecl-label ecl-label--highlight";
      label.textContent = text;
      item.append(label);
      container.append(item);
    }
    block.append(container);
  }
  item.append(block);
  return item;
}

/** Page numbers to link: the first, the last and two on each side of the current one. */
export function pageWindow(current: number, last: number): (number | "gap")[] {
  const pages: (number | "gap")[] = [];
  for (let page = 1; page <= last; page++) {
    const near = Math.abs(page - current) <= 2;
    if (page === 1 || page === last || near) pages.push(page);
    else if (pages.at(-1) !== "gap") pages.push("gap");
  }
  return pages;
}

/** Builds the ECL pagination; `hrefOf` gives the link of a page number. */
export function paginationElement(
  current: number,
  last: number,
  hrefOf: (page: number) => string,
): HTMLUListElement {
  const list = document.createElement("ul");
  list.className = "ecl-pagination__list";

  const pageLink = (page: number, text: string, label: string, extra = "") => {
    const item = document.createElement("li");
    item.className = `ecl-pagination__item ${extra}`.trim();
    const link = document.createElement("a");
    link.className = "ecl-link ecl-link--standalone ecl-pagination__link";
    link.href = hrefOf(page);
    link.dataset.page = String(page);
    link.setAttribute("aria-label", label);
    link.textContent = text;
    item.append(link);
    return item;
  };

  if (current > 1) {
    list.append(
      pageLink(current - 1, "Previous", "Previous page", "ecl-pagination__item--previous"),
    );
  }
  for (const page of pageWindow(current, last)) {
    if (page === "gap") {
      const gap = document.createElement("li");
      gap.className = "ecl-pagination__item ecl-pagination__item--truncation";
      gap.textContent = "…";
      list.append(gap);
    } else if (page === current) {
      const item = document.createElement("li");
      item.className = "ecl-pagination__item ecl-pagination__item--current";
      const text = document.createElement("span");
      text.setAttribute("aria-current", "page");
      text.setAttribute("aria-label", `Page ${page}`);
      text.textContent = String(page);
      item.append(text);
      list.append(item);
    } else {
      list.append(pageLink(page, String(page), `Page ${page}`));
    }
  }
  if (current < last) {
    list.append(pageLink(current + 1, "Next", "Next page", "ecl-pagination__item--next"));
  }
  return list;
}

/** Builds the sentence announced after each search, such as `12 projects match "dance"`. */
export function statusText(state: SearchState, total: number, first: number, last: number) {
  const noun = total === 1 ? "project matches" : "projects match";
  const filterCount = Object.keys(state.filters).length;
  const filters =
    filterCount === 0 ? "" : ` with ${filterCount} filter${filterCount === 1 ? "" : "s"}`;
  const query = state.query === "" ? "" : ` “${state.query}”`;
  const head = `${total === 0 ? "No" : total} ${noun}${query}${filters}.`;
  if (total === 0) return `${head} Remove a filter or try another word.`;
  return `${head} Showing ${first} to ${last}.`;
}
