/**
 * Values that the exports do not state in a column of their own: the programme of a legacy
 * `Programme Funding` path, the call year hidden in an identifier, and the managing agency.
 */

/** Path segments that only group programmes and never name one. */
const GROUPING_SEGMENTS = new Set(["external programmes and policies"]);

export interface ProgrammePath {
  programme: string;
  subProgramme?: string;
  action?: string;
}

/**
 * Splits a legacy `Programme Funding` path. The first segment is the policy area (`Culture`,
 * `Education and training`, `Youth`, `Sports`) and is dropped, as are grouping segments such as
 * `External Programmes and Policies`. Of the rest, the first is the programme, the last the
 * action, and any segments between them the sub-programme (joined with ` / `):
 * `Culture\Culture (2007-2013)\Festivals` gives programme `Culture (2007-2013)` and action
 * `Festivals`. A path of one segment is the programme itself.
 */
export function splitProgrammePath(path: string): ProgrammePath | undefined {
  const segments = path
    .split("\\")
    .map((segment) => segment.trim())
    .filter((segment) => segment !== "");
  if (segments.length === 0) return undefined;
  if (segments.length === 1) return { programme: segments[0] as string };

  const named = segments
    .slice(1)
    .filter((segment) => !GROUPING_SEGMENTS.has(segment.toLowerCase()));
  const [programme, ...rest] = named;
  if (programme === undefined) return { programme: segments[0] as string };
  const action = rest.pop();
  const result: ProgrammePath = { programme };
  if (rest.length > 0) result.subProgramme = rest.join(" / ");
  if (action !== undefined) result.action = action;
  return result;
}

/**
 * Finds a call year written as its own `-`-separated part of a reference: `2009` in
 * `148838-CU-1-2009-1-HU-CULTURE-VOL11`, `FI-CULT-2008-MOTN-01` and `EAC-2013-0493`.
 */
export function yearInReference(reference: string): number | undefined {
  for (const part of reference.split(/[-_/\s]+/)) {
    if (/^(19[5-9]\d|20\d\d)$/.test(part)) return Number(part);
  }
  return undefined;
}

const NATIONAL_AGENCY = /^\d{4}-\d+-([A-Z]{2}\d{2})-/;

/**
 * Returns the National Agency code of a decentralised project (`DE03` in
 * `2014-1-DE03-KA101-000001`), or `EACEA` for every other identifier, since centralised actions
 * and the legacy exports are managed by the executive agency.
 */
export function agencyOf(identifier: string): string {
  return NATIONAL_AGENCY.exec(identifier.trim().toUpperCase())?.[1] ?? "EACEA";
}
