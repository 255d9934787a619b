import type { LoaderFunctionArgs } from "@remix-run/node";
import { PreviewFailed, previewSpeaker, previewWait, previewWav } from "~/agents/voice-preview.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { pii } from "~/utils/pii.server";
import { findVoice, sandboxVoiceOptions } from "../../core/agents/voice-catalogue";
import { tenantProviderKeys } from "../../db/queries/provider-credentials";

/**
 * A listed voice saying a fixed sample, for the agent form's ▶ (docs/decisions/0051). Signed-in
 * team members only (it spends TTS time); the voice must be one of the list, and no text is taken.
 * No voice named: the default voice. Nothing is kept on the server; the browser may keep the sample.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "agent:read");
  const id = new URL(request.url).searchParams.get("voice") ?? sandboxVoiceOptions[0]!.id;
  const voice = findVoice(id);
  if (!voice) return new Response("Unknown voice", { status: 404 });
  const wait = await previewWait(tenantId);
  if (wait)
    return new Response("Too many samples: try again shortly", {
      status: 429,
      headers: { "retry-after": String(wait) },
    });
  const config = env();
  const keys = voice.provider === "sandbox" ? {} : await tenantProviderKeys(db(), pii(), tenantId);
  const tts = previewSpeaker(voice, {
    tenant: keys.elevenlabs,
    platform: config.TTS_PROVIDER === "elevenlabs" ? config.ELEVENLABS_API_KEY : undefined,
    url: config.ELEVENLABS_URL,
  });
  try {
    const wav = await previewWav(tts, voice, request.signal);
    return new Response(wav, {
      headers: {
        "content-type": "audio/wav",
        "content-length": String(wav.length),
        "cache-control": "private, max-age=3600",
      },
    });
  } catch (err) {
    if (err instanceof PreviewFailed) return new Response("The sample could not be made", { status: 502 });
    throw err;
  }
}
