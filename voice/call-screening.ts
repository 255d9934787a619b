/**
 * Recognises a call-screening assistant answering an outbound call from what it says first
 * (docs/decisions/0045). Phrases are matched whole, word by word, after folding case, accents and
 * punctuation: "Hi, the person you're calling is using a screening service" and "LA PERSONA A LA
 * QUE LLAMAS ESTÁ USANDO…" both match; a person saying "who's calling?" does not. Linear in the
 * transcript: each word is compared against the few phrases starting with that word, each of a
 * bounded length, so the work is at most (words × a constant of this table).
 *
 * Sources for the wordings (each prompt varies by version and region, so key phrases, not whole
 * scripts, are listed):
 * - Google Call Screen / Call Assist: "the person you're calling is using a screening service from
 *   Google, and will get a copy of this conversation… say your name and why you're calling"; newer
 *   "I'm Call Assist by Google recording this call for the person you're trying to reach. Before I
 *   try to connect you…" (https://support.aircall.io/en-gb/articles/30727075383837).
 * - Apple iOS 26 "Screen Unknown Callers → Ask Reason for Calling": Siri asks for the caller's name
 *   and reason for calling, then sees if the person is available
 *   (https://allthings.how/how-to-turn-on-call-screening-on-iphone-ios-26); it speaks the device's
 *   language, among them Spanish, French and German.
 * - Samsung Bixby text call, Google Voice and carrier screening ("please say your name after the
 *   tone", "this call is being screened").
 * The Spanish, German and French lines are the same prompts in those languages, as the assistants'
 * localised wordings put them; they are listed as phrases likely in any of their versions.
 */
export const screeningPhrases: Record<"en" | "es" | "de" | "fr", string[]> = {
  en: [
    "using a screening service",
    "screening service from google",
    "call assist by google",
    "the person you're calling is using",
    "the person you are calling is using",
    "recording this call for the person you're trying to reach",
    "before i try to connect you",
    "will get a copy of this conversation",
    "say your name and why you're calling",
    "state your name and the reason for your call",
    "state your name and reason for calling",
    "record your name and reason for calling",
    "your name and reason for calling",
    "your name and the reason for your call",
    "i'll see if this person is available",
    "see if this person is available",
    "this call is being screened",
    "is screening this call",
    "is screening their calls",
    "bixby text call",
    "say your name after the tone",
    "say your name after the beep",
  ],
  es: [
    "servicio de filtrado de llamadas",
    "filtrado de llamadas de google",
    "la persona a la que llamas está usando",
    "la persona a la que llama está usando",
    "la persona a la que llama está utilizando",
    "di tu nombre y el motivo de tu llamada",
    "diga su nombre y el motivo de su llamada",
    "tu nombre y el motivo de tu llamada",
    "su nombre y el motivo de su llamada",
    "recibirá una copia de esta conversación",
    "veré si esta persona está disponible",
  ],
  de: [
    "anrufprüfung",
    "anrufüberprüfung",
    "anruffilterdienst",
    "die person die sie anrufen verwendet",
    "die person die sie anrufen nutzt",
    "ihren namen und den grund ihres anrufs",
    "ihren namen und den grund für ihren anruf",
    "erhält eine kopie dieses gesprächs",
    "ob diese person verfügbar ist",
  ],
  fr: [
    "service de filtrage d'appels",
    "filtrage des appels",
    "la personne que vous appelez utilise",
    "votre nom et la raison de votre appel",
    "votre nom et l'objet de votre appel",
    "recevra une copie de cette conversation",
    "si cette personne est disponible",
  ],
};

/** Lower case, accents and apostrophes dropped, every other non-letter a word break. */
export function screeningWords(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/['’`´]/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

type Phrase = { language: string; phrase: string; words: string[] };
const byFirstWord = new Map<string, Phrase[]>();
for (const [language, list] of Object.entries(screeningPhrases))
  for (const phrase of list) {
    const words = screeningWords(phrase);
    byFirstWord.set(words[0]!, [...(byFirstWord.get(words[0]!) ?? []), { language, phrase, words }]);
  }
/** The most words compared from any one position: the constant that bounds the scan. */
export const SCREENING_WORK_PER_WORD = Math.max(
  ...[...byFirstWord.values()].map((list) => list.reduce((n, p) => n + p.words.length + 1, 0)),
);

export type ScreeningMatch = { language: string; phrase: string };

/** The phrase that says a screening assistant is speaking, and how many word comparisons it took. */
export function scanForScreening(text: string): { match: ScreeningMatch | null; steps: number } {
  const words = screeningWords(text);
  let steps = 0;
  for (let i = 0; i < words.length; i++)
    for (const p of byFirstWord.get(words[i]!) ?? []) {
      let k = 0;
      while (k < p.words.length && words[i + k] === p.words[k]) {
        k++;
        steps++;
      }
      steps++;
      if (k === p.words.length) return { match: { language: p.language, phrase: p.phrase }, steps };
    }
  return { match: null, steps };
}

export const detectScreening = (text: string) => scanForScreening(text).match;
