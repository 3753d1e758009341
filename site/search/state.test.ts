import { describe, expect, it } from "vitest";
import { pageWindow, splitLabels, statusText } from "./render.ts";
import { emptyState, isBlank, parseState, serializeState, withoutFacet } from "./state.ts";

describe("parseState", () => {
  it("reads query, filters, sort and page", () => {
    const state = parseState("?q=dance&callYear=2010&coordinatorCountry=France&sort=newest&page=3");
    expect(state).toEqual({
      query: "dance",
      filters: { callYear: "2010", coordinatorCountry: "France" },
      sort: "newest",
      page: 3,
    });
  });

  it("drops unknown parameters and invalid values", () => {
    const state = parseState("?q=%20&colour=red&sort=random&page=-2&goodPractice=no&status=");
    expect(state).toEqual(emptyState());
  });

  it("keeps a flag set to yes", () => {
    expect(parseState("?successStory=yes").filters).toEqual({ successStory: "yes" });
  });

  it("rejects a page that is not a whole number", () => {
    expect(parseState("?q=a&page=2.5").page).toBe(1);
    expect(parseState("?q=a&page=abc").page).toBe(1);
  });

  it("cuts an overlong query", () => {
    expect(parseState(`?q=${"a".repeat(500)}`).query).toHaveLength(200);
  });
});

describe("serializeState", () => {
  it("omits defaults", () => {
    expect(serializeState(emptyState())).toBe("");
    expect(serializeState({ ...emptyState(), query: "film" })).toBe("?q=film");
  });

  it("writes parameters in facet order", () => {
    const url = serializeState({
      query: "circus arts",
      filters: { topic: "Youth", programme: "Culture 2007-2013" },
      sort: "title",
      page: 2,
    });
    expect(url).toBe("?q=circus+arts&programme=Culture+2007-2013&topic=Youth&sort=title&page=2");
  });

  it("round-trips through parseState", () => {
    const state = {
      query: "théâtre & musique",
      filters: { country: "Côte d’Ivoire", resultsAvailable: "yes" },
      sort: "newest" as const,
      page: 4,
    };
    expect(parseState(serializeState(state))).toEqual(state);
  });
});

describe("isBlank", () => {
  it("is true only without query and filters", () => {
    expect(isBlank(emptyState())).toBe(true);
    expect(isBlank({ ...emptyState(), sort: "title", page: 2 })).toBe(true);
    expect(isBlank({ ...emptyState(), filters: { status: "Ongoing" } })).toBe(false);
  });
});

describe("withoutFacet", () => {
  it("removes one facet and leaves the input alone", () => {
    const filters = { status: "Ongoing", callYear: "2012" };
    expect(withoutFacet(filters, "status")).toEqual({ callYear: "2012" });
    expect(filters).toEqual({ status: "Ongoing", callYear: "2012" });
  });
});

describe("pageWindow", () => {
  it("lists every page when there are few", () => {
    expect(pageWindow(2, 4)).toEqual([1, 2, 3, 4]);
  });

  it("collapses distant pages into gaps", () => {
    expect(pageWindow(10, 20)).toEqual([1, "gap", 8, 9, 10, 11, 12, "gap", 20]);
  });

  it("keeps the start together on page 1", () => {
    expect(pageWindow(1, 9)).toEqual([1, 2, 3, "gap", 9]);
  });
});

describe("statusText", () => {
  it("counts hits with query and filters", () => {
    const state = { ...emptyState(), query: "dance", filters: { callYear: "2010" } };
    expect(statusText(state, 45, 21, 40)).toBe(
      "45 projects match “dance” with 1 filter. Showing 21 to 40.",
    );
  });

  it("uses the singular for one hit", () => {
    expect(statusText({ ...emptyState(), query: "jazz" }, 1, 1, 1)).toBe(
      "1 project matches “jazz”. Showing 1 to 1.",
    );
  });

  it("suggests a way out of no hits", () => {
    expect(statusText({ ...emptyState(), query: "zzz" }, 0, 1, 0)).toBe(
      "No projects match “zzz”. Remove a filter or try another word.",
    );
  });
});

describe("splitLabels", () => {
  it("splits the labels metadata", () => {
    expect(splitLabels("Good practice, Success story")).toEqual(["Good practice", "Success story"]);
    expect(splitLabels(undefined)).toEqual([]);
    expect(splitLabels("")).toEqual([]);
  });
});
