import { describe, expect, it } from "vitest";
import { effectiveLabels } from "./labels.ts";

type Flags = [goodPractice: boolean, successStory: boolean];

describe("effectiveLabels", () => {
  const cases: {
    name: string;
    contractual: Flags;
    officer?: Flags;
    expected: Flags;
  }[] = [
    { name: "no label anywhere", contractual: [false, false], expected: [false, false] },
    { name: "no officer labels", contractual: [true, false], expected: [true, false] },
    {
      name: "officer labels all false",
      contractual: [false, false],
      officer: [false, false],
      expected: [false, false],
    },
    {
      name: "good practice from officer",
      contractual: [false, false],
      officer: [true, false],
      expected: [true, false],
    },
    {
      name: "success story from officer",
      contractual: [false, false],
      officer: [false, true],
      expected: [true, true],
    },
    {
      name: "contractual success story",
      contractual: [false, true],
      expected: [true, true],
    },
    {
      name: "officer false keeps contractual",
      contractual: [true, true],
      officer: [false, false],
      expected: [true, true],
    },
    {
      name: "one label from each source",
      contractual: [true, false],
      officer: [false, true],
      expected: [true, true],
    },
  ];

  for (const { name, contractual, officer, expected } of cases) {
    it(name, () => {
      const card = {
        goodPractice: contractual[0],
        successStory: contractual[1],
        editorial: officer
          ? { labels: { goodPractice: officer[0], successStory: officer[1] } }
          : {},
      };
      const labels = effectiveLabels(card);
      expect(labels.goodPractice).toBe(expected[0]);
      expect(labels.successStory).toBe(expected[1]);
    });
  }
});
