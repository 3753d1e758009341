/**
 * A cheap guess of a summary's main language from function words, for the main EU languages.
 *
 * Each language has about twenty frequent short words that rarely occur in the others. The text's
 * words are counted against each list. The guess is kept only when the best language has at least
 * `MIN_HITS` hits, covers at least 8% of the words, and has at least twice the hits of the next
 * language, and otherwise the language stays unset. Only the first 2,000 characters are read.
 * Mixed summaries (an English text quoting French titles) usually still give a clear winner, but
 * texts with two full language versions often do not.
 */

const STOP_WORDS: Record<string, string[]> = {
  en: "the and of to in is for with that this are on by from will be which have their".split(" "),
  fr: "le la les des et du une est dans pour sur par qui avec aux ces sont leur au".split(" "),
  de: "der die das und ist mit von für den dem ein eine sich nicht auf zu werden auch".split(" "),
  es: "el los las del y en que por para con una se su es al como sus más".split(" "),
  it: "il di che della per con una sono degli delle gli nel alla dei anche è".split(" "),
  nl: "de het een van en dat voor met zijn op niet ook door naar worden bij".split(" "),
  pt: "o os das dos em que para com uma não ao pela pelo são seu mais".split(" "),
  pl: "i w z na się do nie że jest oraz dla przez jak od to".split(" "),
};

const MIN_HITS = 5;
const MIN_SHARE = 0.08;
/** Characters read from the start of a text, enough for some 300 words. */
const SAMPLE_LENGTH = 2000;

const LOOKUP = new Map<string, string[]>();
for (const [language, words] of Object.entries(STOP_WORDS)) {
  for (const word of words) LOOKUP.set(word, [...(LOOKUP.get(word) ?? []), language]);
}

/** Returns the ISO 639-1 code of the text's main language, or undefined when unsure. */
export function guessLanguage(text: string): string | undefined {
  const words = text
    .slice(0, SAMPLE_LENGTH)
    .toLowerCase()
    .match(/\p{L}+/gu);
  if (words === null || words.length < MIN_HITS) return undefined;

  const hits = new Map<string, number>();
  for (const word of words) {
    const languages = LOOKUP.get(word);
    if (languages === undefined) continue;
    for (const language of languages) hits.set(language, (hits.get(language) ?? 0) + 1);
  }
  const ranked = [...hits.entries()].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (best === undefined || best[1] < MIN_HITS) return undefined;
  if (best[1] / words.length < MIN_SHARE) return undefined;
  if (second !== undefined && best[1] < 2 * second[1]) return undefined;
  return best[0];
}
