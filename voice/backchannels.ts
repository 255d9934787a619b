/**
 * What a caller says to show they are listening, per language: said while the agent speaks, it
 * never interrupts (issue 22). Phrases of one or two words; repeats ("yeah yeah") are still one.
 * Sources: the backchannel lists Pipecat and LiveKit Agents users keep adding to their
 * interruption filters, and the conversation-analysis literature's common tokens per language.
 */
const PHRASES: Record<string, string[]> = {
  en: [
    ..."mhm mm mmm hmm mmhmm uhhuh uh-huh huh yeah yea yep yup yes ok okay k right sure alright gotcha cool".split(" "),
    ..."great nice wow oh ah aha true exactly indeed totally absolutely definitely".split(" "),
    "all right",
    "i see",
    "got it",
    "uh huh",
    "mm hmm",
    "oh okay",
    "of course",
    "makes sense",
  ],
  es: [..."sí si vale ajá aja claro bueno mhm ok okay exacto perfecto".split(" "), "ya veo", "de acuerdo", "está bien"],
  de: [..."ja jaja genau okay ok mhm hm stimmt richtig klar gut achso aha".split(" "), "ach so", "alles klar"],
  fr: [..."oui ouais d'accord ok okay mhm hum voilà exactement bien".split(" "), "je vois", "ah bon", "bien sûr"],
  pt: [..."sim sei ok okay certo claro tá uhum mhm exato beleza".split(" "), "tá bom", "entendi"],
  it: [..."sì si ok okay certo chiaro esatto mhm già va".split(" "), "va bene", "ho capito"],
  nl: [..."ja jaja oké ok okay mhm hm precies klopt goed".split(" "), "o ja", "ik snap het"],
};
const sets = new Map(Object.entries(PHRASES).map(([lang, phrases]) => [lang, new Set(phrases)]));

// Apostrophes and hyphens only inside a word; by index, since a backtracking `['-]+$` is quadratic.
function trimMarks(word: string) {
  const mark = (i: number) => word[i] === "'" || word[i] === "-";
  let start = 0;
  let end = word.length;
  while (start < end && mark(start)) start++;
  while (end > start && mark(end - 1)) end--;
  return word.slice(start, end);
}

/** Lower case, letters and apostrophes and hyphens only: how the lists are written. */
export const wordsOf = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}'-]+/u)
    .map(trimMarks)
    .filter(Boolean);

/**
 * The words of `text` that are not backchannel, in the agent's language (its base: `en-GB` → `en`;
 * an unlisted language uses English's list, since callers' "okay" and "mhm" travel). Linear time.
 */
export function substantiveWords(text: string, language: string) {
  const set = sets.get(language.toLowerCase().split(/[-_]/)[0]!) ?? sets.get("en")!;
  const words = wordsOf(text);
  const left: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (i + 1 < words.length && set.has(`${words[i]} ${words[i + 1]}`)) i++;
    else if (!set.has(words[i]!)) left.push(words[i]!);
  }
  return left;
}
