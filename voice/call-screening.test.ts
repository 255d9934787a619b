import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { answeredByFromTwilio, worthRetrying } from "../core/answered-by";
import {
  detectScreening,
  SCREENING_WORK_PER_WORD,
  scanForScreening,
  screeningPhrases,
  screeningWords,
} from "./call-screening";

const allPhrases = Object.values(screeningPhrases).flat();
/** Words a person answering the phone says, in the four languages: no screening phrase is made of them alone. */
const greeting = fc.constantFrom(
  ...["hello", "hi", "yes", "speaking", "who", "is", "this", "calling", "please", "what", "do", "you", "want"],
  ...["hola", "quién", "es", "sí", "dígame", "bueno", "hallo", "wer", "ist", "da", "ja", "bitte"],
  ...["allô", "oui", "qui", "est", "ce", "c'est", "bonjour", "name", "your", "reason", "the", "a"],
);

describe("call-screening detection", () => {
  it("recognises the assistants' prompts as they are spoken", () => {
    for (const [text, language] of [
      [
        "Hi, the person you're calling is using a screening service from Google, and will get a copy of this conversation. Go ahead and say your name and why you're calling.",
        "en",
      ],
      [
        "Hi, I'm Call Assist by Google recording this call for the person you're trying to reach. Before I try to connect you, can I ask what you're calling about?",
        "en",
      ],
      ["Hi, if you record your name and reason for calling, I'll see if this person is available.", "en"],
      ["Hello, this call is being screened. Please state your name and the reason for your call.", "en"],
      ["Please say your name after the tone.", "en"],
      ["Hola, la persona a la que llamas está usando un servicio de filtrado de llamadas de Google.", "es"],
      ["Por favor, diga su nombre y el motivo de su llamada.", "es"],
      ["Hallo, die Person, die Sie anrufen, verwendet die Anrufprüfung.", "de"],
      ["Bitte nennen Sie Ihren Namen und den Grund Ihres Anrufs.", "de"],
      ["Bonjour, la personne que vous appelez utilise un service de filtrage d'appels.", "fr"],
      ["Veuillez indiquer votre nom et l'objet de votre appel.", "fr"],
    ] as const)
      expect(detectScreening(text)?.language, text).toBe(language);
  });

  it("does not take a person for an assistant", () => {
    for (const text of [
      "Hello?",
      "Yes, speaking. Who's calling?",
      "Who is this and what do you want?",
      "Sorry, I'm screening my mum's calls today, who is it?",
      "¿Bueno? ¿Quién habla?",
      "Ja, hallo, wer ist da?",
      "Allô, oui, c'est qui ?",
      "",
    ])
      expect(detectScreening(text), text).toBeNull();
  });

  it("finds every phrase inside any speech, whatever the case, accents' composition and punctuation", () => {
    fc.assert(
      fc.property(
        fc.array(greeting, { maxLength: 20 }),
        fc.constantFrom(...allPhrases),
        fc.array(greeting, { maxLength: 20 }),
        fc.constantFrom(" ", ", ", " — ", "... ", "\n"),
        fc.boolean(),
        (before, phrase, after, gap, upper) => {
          const spoken = [...before, phrase.split(" ").join(gap), ...after].join(" ");
          const said = (upper ? spoken.toUpperCase() : spoken).normalize(upper ? "NFD" : "NFC");
          expect(detectScreening(said)).not.toBeNull();
        },
      ),
    );
  });

  it("never fires on a person's words alone", () => {
    fc.assert(
      fc.property(fc.array(greeting, { maxLength: 60 }), fc.constantFrom(" ", "? ", ", "), (words, gap) => {
        expect(detectScreening(words.join(gap))).toBeNull();
      }),
    );
  });

  it("does work linear in the words heard, however they repeat a phrase's beginning", () => {
    const prefixes = allPhrases.map((p) => p.split(" ").slice(0, -1).join(" ")).filter(Boolean);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...prefixes), greeting, fc.string()), { maxLength: 200 }),
        (parts) => {
          const text = parts.join(" ");
          const { steps } = scanForScreening(text);
          expect(steps).toBeLessThanOrEqual(screeningWords(text).length * SCREENING_WORK_PER_WORD);
        },
      ),
    );
  });
});

describe("Twilio's AnsweredBy as an outcome", () => {
  it("maps each documented value, and anything else to unknown", () => {
    expect(
      ["human", "machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other", "fax", "unknown"].map(
        answeredByFromTwilio,
      ),
    ).toEqual(["human", "voicemail", "voicemail", "voicemail", "voicemail", "fax", "unknown"]);
    expect(answeredByFromTwilio(undefined)).toBeNull();
    fc.assert(
      fc.property(fc.string(), (v) => {
        expect(["human", "voicemail", "fax", "unknown", null]).toContain(answeredByFromTwilio(v));
        if (
          v.startsWith("machine_") &&
          !["machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other"].includes(v)
        )
          expect(answeredByFromTwilio(v)).toBe("unknown");
      }),
    );
    expect(answeredByFromTwilio("__proto__")).toBe("unknown");
    expect(answeredByFromTwilio("toString")).toBe("unknown");
  });

  it("retries only a campaign contact that was neither reached nor left a word", () => {
    expect(worthRetrying("voicemail", "machine_hangup")).toBe(true);
    expect(worthRetrying("voicemail", "voicemail")).toBe(false);
    expect(worthRetrying("screening", "screening")).toBe(true);
    expect(worthRetrying("screening", "voicemail")).toBe(false);
    expect(worthRetrying("screening", "stream_stopped")).toBe(false);
    for (const by of ["human", "fax", "unknown", null] as const) expect(worthRetrying(by, "no_stream")).toBe(false);
  });
});
