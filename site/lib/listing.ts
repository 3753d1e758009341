/** Listing pages hold this many cards each. */
export const PAGE_SIZE = 50;
