/**
 * The published form of a card: contractual data, summary, logo and website, the results an
 * officer published and the contacts a beneficiary confirmed as public. Review state,
 * unpublished results and other contacts never leave the platform.
 */
import { type Card, effectiveLabels } from "../card/index.ts";

/** Builds the published form. The labels combine the export's flags and the officer's labels. */
export function publishedCard(card: Card) {
  const { editorial, ...contractual } = card;
  return {
    ...contractual,
    ...effectiveLabels(card),
    editorial: {
      logo: editorial.logo,
      website: editorial.website,
      results: editorial.results.filter((result) => result.published),
      contacts: editorial.contacts.filter((contact) => contact.public),
    },
  };
}

export type PublishedCard = ReturnType<typeof publishedCard>;
