import type { LoaderFunctionArgs } from "@remix-run/node";
import { callEventStream } from "~/live/call-feed.server";
import { callFeedHub } from "~/live/hub.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { requireIdParam } from "~/utils/params.server";
import { pii } from "~/utils/pii.server";
import { getCall } from "../../db/queries/calls";

const notFound = () => new Response("Call not found", { status: 404 });

/** A call's transcript and events as they happen (Server-Sent Events), until it ends. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:read");
  const call = await getCall(db(), pii(), { id: requireIdParam(params, "callId", notFound), tenantId });
  if (!call) throw notFound();
  const stream = callEventStream({ db: db(), hub: callFeedHub() }, { tenantId, callId: call.id }, request.signal);
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    },
  });
}
