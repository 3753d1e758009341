/** Number of cards on each listing page. */
export const PAGE_SIZE = 50;
