import { wordsOf } from "./backchannels";

/**
 * Words that leave a thought open when a caller stops on them, per language: conjunctions, fillers,
 * articles and prepositions (issue 22: "trailing 'and', 'so', a number being read out").
 */
const OPEN_ENDINGS: Record<string, string> = {
  en: "and so but or because then um uh er erm like the a an to with my your our for of in on at is was if that which when",
  es: "y o pero porque entonces que el la los las un una de del en con mi su para es eh este pues",
  de: "und oder aber weil dann dass der die das ein eine zu mit mein meine für von in auf ist äh ähm also",
  fr: "et ou mais parce donc alors que le la les un une de du des en avec mon ma pour à est euh ben",
  pt: "e ou mas porque então que o a os as um uma de do da em com meu minha para é eh né",
  it: "e o ma perché allora che il lo la i gli le un una di del in con mio mia per è ehm cioè",
  nl: "en of maar omdat dan dat de het een van in met mijn voor is eh uhm",
};
const NUMBERS =
  "zero oh one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand";
const sets = new Map(Object.entries(OPEN_ENDINGS).map(([l, w]) => [l, new Set(w.split(" "))]));
const numbers = new Set(NUMBERS.split(" "));

/**
 * Whether the caller most likely paused mid-thought: the transcript ends on a comma or an open
 * ending of the language, or on a digit or number word (a number being read out), or — from a
 * recogniser that punctuates (Deepgram with `smart_format`) — without a sentence's final mark.
 * The engine then waits a little longer for more before it answers. Linear in the text.
 */
export function unfinishedThought(text: string, language: string, opts: { punctuated?: boolean } = {}) {
  const trimmed = text.trimEnd();
  if (!trimmed) return false;
  if (/[.?!…。]$/.test(trimmed)) return false;
  if (trimmed.endsWith(",") || trimmed.endsWith("-")) return true;
  const last = wordsOf(trimmed).at(-1);
  if (!last) return false;
  const open = sets.get(language.toLowerCase().split(/[-_]/)[0]!) ?? sets.get("en")!;
  return open.has(last) || /^\d+$/.test(last) || numbers.has(last) || Boolean(opts.punctuated);
}
