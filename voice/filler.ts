/** What the agent says, once per reply, when a tool has not answered in time (issue 22: no dead air). */
const FILLERS: Record<string, string> = {
  en: "One moment while I check.",
  es: "Un momento, lo compruebo.",
  de: "Einen Moment, ich sehe nach.",
  fr: "Un instant, je vérifie.",
  pt: "Um momento, vou verificar.",
  it: "Un momento, controllo.",
  nl: "Een moment, ik kijk het even na.",
};

/** The filler line in the agent's language (its base: `pt-BR` → `pt`), English when unlisted. */
export const fillerLine = (language: string) => FILLERS[language.toLowerCase().split(/[-_]/)[0]!] ?? FILLERS.en!;
