// Scripts written without spaces between words: each character is matched as a word of its own.
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/gu;
const NOT_WORD = /[^\p{L}\p{N}\p{M}]+/gu;

/** Lower case, punctuation gone, one space between words and one at each end (linear time). */
const words = (text: string) => ` ${text.toLowerCase().replace(UNSPACED, " $& ").replace(NOT_WORD, " ").trim()} `;

/**
 * Whether `text` (a caller's or the agent's words) contains one of the agent's end-call phrases,
 * as whole words, whatever the case and punctuation: "Goodbye!" says "goodbye", "maybe" does not
 * say "bye". One rule for both engines and both speakers.
 */
export function saysEndPhrase(text: string, phrases: readonly string[]) {
  const said = words(text);
  return phrases.some((p) => {
    const phrase = words(p);
    return phrase.length > 2 && said.includes(phrase);
  });
}
