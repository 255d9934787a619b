import type { SttEvents, VoiceProviders } from "./types";

export const MAX_TYPED_CHARS = 500;

/** C0, DEL, C1 and the line/paragraph separators: nothing a caller says, and trouble in a transcript. */
export const isControl = (c: string) => {
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
};

/** A typed caller turn as the conversation takes it: a string of 1–500 characters, controls removed, spaces collapsed. */
export function typedTurnText(text: unknown): string | null {
  if (typeof text !== "string" || text.length > MAX_TYPED_CHARS * 4) return null;
  const clean = Array.from(text, (c) => (isControl(c) ? " " : c))
    .join("")
    .replace(/\s+/g, " ")
    .trim();
  return clean && clean.length <= MAX_TYPED_CHARS ? clean : null;
}

const recognisesNothing = (p: VoiceProviders) => (p.vendors?.stt ?? (p.sandbox ? "sandbox" : "")) === "sandbox";

/**
 * With no recogniser key the SANDBOX recogniser hears nothing, so a browser test caller types
 * instead: `say` hands a typed line to the conversation exactly as a recogniser's final, end-of-turn
 * transcript would arrive. Providers with a real recogniser are returned as they are, with no `say`.
 */
export function typedTurns(providers: VoiceProviders) {
  if (!recognisesNothing(providers)) return { providers, say: null };
  let events: SttEvents | undefined;
  return {
    providers: {
      ...providers,
      stt: async (e: SttEvents, opts: { language: string }) => {
        events = e;
        return providers.stt(e, opts);
      },
    } satisfies VoiceProviders,
    /** False when the line is not one (see typedTurnText) or no conversation listens yet. */
    say(text: unknown): boolean {
      const line = typedTurnText(text);
      if (!line || !events) return false;
      events.onTranscript({ text: line, final: true, endOfTurn: true });
      return true;
    },
  };
}
