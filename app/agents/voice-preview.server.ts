import { previewText, type VoiceOption, voiceOptions } from "../../core/agents/voice-catalogue";
import { decodeMulaw } from "../../core/audio/mulaw";
import { SAMPLE_RATE } from "../../core/audio/sandbox-tts";
import type { WebConfig } from "../../core/config";
import { memoryLimiter, retryAfterSeconds } from "../../core/rate-limit";
import { listProviderKeys } from "../../db/queries/provider-credentials";
import type { Db } from "../../db/tenant";
import { elevenLabsTts } from "../../voice/elevenlabs";
import { sandboxTts } from "../../voice/sandbox-speech";
import type { TextToSpeech } from "../../voice/types";

/** A sample's budget: past either, synthesis stops and the preview fails rather than waiting on. */
export const PREVIEW_DEADLINE_MS = 10_000;
export const PREVIEW_MAX_SECONDS = 8;

/** Samples one team may ask for a minute, per web process: a bound on TTS spend, not an exact quota. */
export const PREVIEWS_PER_MINUTE = 30;
const previews = memoryLimiter({ max: PREVIEWS_PER_MINUTE, windowSeconds: 60 });
/** Seconds until the team may ask again, or 0 when it may now. */
export async function previewWait(tenantId: string) {
  const r = await previews.limit(tenantId);
  return r.success ? 0 : retryAfterSeconds(r);
}

export class PreviewFailed extends Error {}

const sandbox = sandboxTts();

/**
 * Who speaks a voice's preview: the same choice a call makes (voice/providers.ts). ElevenLabs with
 * the tenant's own key, else the platform's; with neither, the sandbox, which says any voice that
 * is not its own as its first.
 */
export function previewSpeaker(
  voice: VoiceOption,
  keys: { tenant?: string; platform?: string; url?: string },
): TextToSpeech {
  const key = keys.tenant ?? keys.platform;
  return voice.provider === "elevenlabs" && key ? elevenLabsTts({ apiKey: key, url: keys.url }) : sandbox;
}

/** The voice saying its fixed sample, as a 16-bit PCM WAV at a call's 8 kHz. */
export async function previewWav(tts: TextToSpeech, voice: VoiceOption, signal?: AbortSignal) {
  const maxBytes = PREVIEW_MAX_SECONDS * SAMPLE_RATE;
  const deadline = AbortSignal.timeout(PREVIEW_DEADLINE_MS);
  const stop = signal ? AbortSignal.any([signal, deadline]) : deadline;
  async function* text() {
    yield previewText(voice);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of tts.synthesize(text(), { voice: voice.id, signal: stop })) {
      const room = maxBytes - size;
      chunks.push(chunk.subarray(0, room));
      size += Math.min(chunk.length, room);
      if (size >= maxBytes) break;
    }
  } catch (err) {
    throw new PreviewFailed(`the voice could not be synthesised: ${String(err)}`);
  }
  if (deadline.aborted) throw new PreviewFailed(`past the ${PREVIEW_DEADLINE_MS} ms budget`);
  if (!size) throw new PreviewFailed("the voice said nothing");
  const mulaw = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    mulaw.set(c, at);
    at += c.length;
  }
  return pcmWav(decodeMulaw(mulaw), SAMPLE_RATE);
}

/** A RIFF/WAVE file of 16-bit mono PCM: every browser plays it. */
export function pcmWav(samples: Int16Array, sampleRate: number) {
  const out = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(out.buffer);
  const tag = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  tag(0, "RIFF");
  view.setUint32(4, 36 + samples.length * 2, true);
  tag(8, "WAVE");
  tag(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  tag(36, "data");
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, samples[i]!, true);
  return out;
}

/** The voices the tenant's agent form offers: ElevenLabs' once the tenant or the platform has its key. */
export async function tenantVoices(db: Db, config: WebConfig, tenantId: string) {
  const own = (await listProviderKeys(db, { tenantId })).some((k) => k.provider === "elevenlabs");
  return voiceOptions({ elevenlabs: own || (config.TTS_PROVIDER === "elevenlabs" && !!config.ELEVENLABS_API_KEY) });
}
