import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordingStore } from "~/recordings/store.server";
import { callWaveform } from "~/recordings/waveform.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { requireIdParam } from "~/utils/params.server";
import { pii } from "~/utils/pii.server";

const notFound = () => new Response("Recording not found", { status: 404 });

/**
 * The recording's per-channel peaks, drawn by the call page's player. Another tenant's call, or
 * one without a stored recording, is a 404; a stored file we cannot read as audio is answered
 * `{ error }` (the recording is still there to play and download).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:read");
  const callId = requireIdParam(params, "callId", notFound);
  const waveform = await callWaveform({ db: db(), pii: pii(), store: recordingStore() }, { tenantId, callId });
  if (!waveform) throw notFound();
  return Response.json(waveform, { headers: { "cache-control": "private, no-store" } });
}
