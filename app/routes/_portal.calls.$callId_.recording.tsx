import type { LoaderFunctionArgs } from "@remix-run/node";
import { openCallRecording, recordingResponse } from "~/recordings/playback.server";
import { recordingStore } from "~/recordings/store.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { requireIdParam } from "~/utils/params.server";
import { pii } from "~/utils/pii.server";

const notFound = () => new Response("Recording not found", { status: 404 });

/**
 * The call's recording for the player. Never cached; ranges served so the player can seek, each
 * decrypting only the chunks it covers. Another tenant's call, or no recording, is a 404 like any
 * other missing thing.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:read");
  const callId = requireIdParam(params, "callId", notFound);
  const found = await openCallRecording({ db: db(), pii: pii(), store: recordingStore() }, { tenantId, callId });
  if (!found) throw notFound();
  return recordingResponse(found, request.headers.get("range"), {
    "content-disposition": `inline; filename="call-${callId}.wav"`,
  });
}
