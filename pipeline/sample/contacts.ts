/**
 * A private contacts feed for sample cards (format of docs/contacts-feed.md), so that on a fresh
 * clone a new account can sign in as the beneficiary of a sample project.
 *
 * The selection is fixed for a seed and count: in card order, the first
 * `SAMPLE_CONTACTS_PER_STATE` cards of each deadline state at `SAMPLE_AS_OF` (2026-06-30).
 * Card `n` of the selection (from 1) gets the contact `coordinator.<n>@example.org`.
 */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { type CardInput, writeFileAtomic } from "../card/index.ts";
import { CONTACT_COLUMNS, FEED_DELIMITER } from "../contacts/format.ts";
import { generateCards, SAMPLE_AS_OF } from "./generate.ts";

/** Cards of each state that get a contact: 7 ongoing, 7 submittable and 7 locked. */
export const SAMPLE_CONTACTS_PER_STATE = 7;

/**
 * Deadline state of a card, after the rules of editor-api/workflow/lifecycle.ts: submission opens
 * on the end date, and the card is locked from the day after its second anniversary.
 */
export type SampleContactState = "ongoing" | "submittable" | "locked";

export interface SampleContact {
  projectId: string;
  email: string;
  name: string;
  organisation?: string;
  endDate: string;
  state: SampleContactState;
}

/** Returns the deadline state on the day `asOf` of a project ending on `endDate`. */
export function deadlineState(endDate: string, asOf: string): SampleContactState {
  if (asOf < endDate) return "ongoing";
  // As in the rules, the anniversary of 29 February in a common year is 1 March.
  const anniversary = new Date(`${endDate}T00:00:00Z`);
  anniversary.setUTCFullYear(anniversary.getUTCFullYear() + 2);
  return asOf > anniversary.toISOString().slice(0, 10) ? "locked" : "submittable";
}

/** Selects the sample contacts among the first `count` cards of `seed`, in card order. */
export function selectSampleContacts(count: number, seed: string | number): SampleContact[] {
  const selectedPerState: Record<SampleContactState, number> = {
    ongoing: 0,
    submittable: 0,
    locked: 0,
  };
  const contacts: SampleContact[] = [];
  for (const card of generateCards(count, seed)) {
    if (card.endDate === undefined) continue;
    const state = deadlineState(card.endDate, SAMPLE_AS_OF);
    if (selectedPerState[state] >= SAMPLE_CONTACTS_PER_STATE) continue;
    selectedPerState[state] += 1;
    contacts.push(sampleContact(card, card.endDate, state, contacts.length + 1));
    if (contacts.length === 3 * SAMPLE_CONTACTS_PER_STATE) break;
  }
  return contacts;
}

/**
 * Writes the contacts feed of the sample for `seed` and `count` to `path`, atomically, and
 * returns its rows. The same arguments always give the same bytes.
 */
export async function writeSampleContacts(
  path: string,
  count: number,
  seed: string | number = "sample",
): Promise<SampleContact[]> {
  const contacts = selectSampleContacts(count, seed);
  const lines = [CONTACT_COLUMNS.join(FEED_DELIMITER)];
  for (const contact of contacts) {
    const cells = [
      contact.projectId,
      contact.name,
      contact.email,
      "",
      "Project coordinator",
      contact.organisation ?? "",
    ];
    lines.push(cells.map(feedField).join(FEED_DELIMITER));
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${lines.join("\n")}\n`);
  return contacts;
}

function sampleContact(
  card: CardInput,
  endDate: string,
  state: SampleContactState,
  number: number,
): SampleContact {
  return {
    projectId: card.id,
    email: `coordinator.${number}@example.org`,
    name: `Sample Coordinator ${number}`,
    organisation: card.coordinator?.name,
    endDate,
    state,
  };
}

/** Quotes a cell as RFC 4180 does when it contains the delimiter, a quote or a line break. */
function feedField(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
