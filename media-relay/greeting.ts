import { cachedLines, type LineCache } from "../voice/greeting-cache";
import { sentences } from "../voice/sentences";
import type { VoiceProviders } from "../voice/types";

/** The sentences a line is spoken in, cut as speakTurn cuts it. */
async function sentencesOf(line: string) {
  const all: string[] = [];
  const whole = (async function* () {
    yield line;
  })();
  for await (const s of sentences(whole)) all.push(s);
  return all;
}

/**
 * A call's providers with its greeting said from the relay's memory when it was rendered before
 * (docs/decisions/0044). Only the sentences that are the same on every call are kept: one filled
 * with a call's variables (a name, an order number) is this call's alone. `served` tells whether
 * the call's first words came from memory.
 */
export async function withGreetingCache(
  lines: LineCache | undefined,
  providers: VoiceProviders,
  call: { tenantId: string; voice: string; template: string; spoken: string },
) {
  if (!lines) return { providers, served: () => undefined };
  const sameEveryCall = new Set(await sentencesOf(call.template));
  const greeting = cachedLines(
    providers.tts,
    lines,
    {
      tenantId: call.tenantId,
      vendor: providers.vendors?.tts ?? (providers.sandbox ? "sandbox" : "unknown"),
      account: providers.ttsAccount ?? "",
      voice: call.voice,
    },
    (await sentencesOf(call.spoken)).filter((s) => sameEveryCall.has(s)),
  );
  return { providers: { ...providers, tts: greeting.tts }, served: greeting.served };
}
