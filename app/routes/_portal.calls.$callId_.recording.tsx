import type { LoaderFunctionArgs } from "@remix-run/node";
import { byteRange } from "~/utils/byte-range";
import { readCallRecording } from "~/recordings/recordings.server";
import { recordingStore } from "~/recordings/store.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { pii } from "~/utils/pii.server";

/**
 * The call's recording, decrypted for the player. Never cached; ranges served so the player can
 * seek. Another tenant's call, or no recording, is a 404 like any other missing thing.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:read");
  const found = await readCallRecording({ db, pii, store: recordingStore }, { tenantId, callId: params.callId ?? "" }).catch(() => null);
  if (!found) throw new Response("Recording not found", { status: 404 });
  const size = found.audio.length;
  const headers = {
    "content-type": found.contentType,
    "accept-ranges": "bytes",
    "cache-control": "private, no-store",
    "content-disposition": `inline; filename="call-${params.callId}.wav"`,
  };
  const range = byteRange(request.headers.get("range"), size);
  if (range === "bad") return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${size}` } });
  if (!range) return new Response(found.audio, { headers: { ...headers, "content-length": String(size) } });
  const part = found.audio.slice(range.start, range.end + 1);
  return new Response(part, { status: 206, headers: { ...headers, "content-length": String(part.length), "content-range": `bytes ${range.start}-${range.end}/${size}` } });
}
