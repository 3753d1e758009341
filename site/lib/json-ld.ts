/** schema.org JSON-LD of a project card, safe to place inside a `<script>` element. */
import type { Card, Organisation } from "../../pipeline/card/index.ts";
import { countryName } from "./format.ts";

function organisationNode(organisation: Organisation): Record<string, unknown> {
  return {
    "@type": "Organization",
    name: organisation.name,
    ...(organisation.websites.length > 0 ? { url: organisation.websites[0] } : {}),
    ...(organisation.country
      ? {
          address: {
            "@type": "PostalAddress",
            addressCountry: organisation.country,
            ...(organisation.address ? { streetAddress: organisation.address } : {}),
            ...(organisation.region ? { addressRegion: organisation.region } : {}),
          },
        }
      : {}),
  };
}

/** Builds the JSON-LD object of a card whose page is at `pageUrl` (absolute). */
export function projectJsonLd(card: Card, pageUrl: string): Record<string, unknown> {
  const members = [card.coordinator, ...card.partners].filter(
    (organisation): organisation is Organisation => organisation !== undefined,
  );
  return {
    "@context": "https://schema.org",
    "@type": "Project",
    "@id": pageUrl,
    url: pageUrl,
    name: card.title,
    identifier: card.id,
    ...(card.summary ? { description: card.summary } : {}),
    ...(card.language ? { inLanguage: card.language } : {}),
    ...(card.startDate ? { startDate: card.startDate } : {}),
    ...(card.endDate ? { endDate: card.endDate } : {}),
    ...((card.website ?? card.editorial.website)
      ? { sameAs: card.editorial.website ?? card.website }
      : {}),
    funder: { "@type": "GovernmentOrganization", name: "European Union" },
    ...(card.euGrant !== undefined
      ? {
          funding: {
            "@type": "Grant",
            name: card.programme,
            funder: { "@type": "GovernmentOrganization", name: "European Union" },
            amount: { "@type": "MonetaryAmount", currency: "EUR", value: card.euGrant },
          },
        }
      : {}),
    ...(card.countries.length > 0
      ? {
          areaServed: card.countries.map((code) => ({
            "@type": "Country",
            name: countryName(code),
          })),
        }
      : {}),
    ...(members.length > 0 ? { member: members.map(organisationNode) } : {}),
  };
}

/**
 * Serialises JSON for an inline `<script type="application/ld+json">`. `<`, `>` and `&` become
 * Unicode escapes, so text such as `</script>` in a card can never end the element, and U+2028
 * and U+2029 are escaped for older JavaScript parsers.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
