/**
 * The Good Practice and Success Story labels a card shows, from its two sources: the contractual
 * flags of the grant-management exports and the labels an officer gave (`editorial.labels`).
 */
import type { Card } from "./schema.ts";

export interface EffectiveLabels {
  goodPractice: boolean;
  successStory: boolean;
}

/**
 * Combines the contractual flags and the officer labels of a card. A label is set when either
 * source sets it, and a success story is always a good practice too.
 */
export function effectiveLabels(
  card: Pick<Card, "goodPractice" | "successStory"> & {
    editorial?: { labels?: EffectiveLabels };
  },
): EffectiveLabels {
  const officer = card.editorial?.labels;
  const successStory = card.successStory || officer?.successStory === true;
  const goodPractice = successStory || card.goodPractice || officer?.goodPractice === true;
  return { goodPractice, successStory };
}
