import { db } from "~/utils/db.server";
import { pii } from "~/utils/pii.server";
import { messageId } from "~/webhooks/deliver.server";
import { getDelivery, listDeliveries } from "../../db/queries/webhook-deliveries";
import { getWebhookEndpoint } from "../../db/queries/webhook-endpoints";

/** The endpoint and its latest deliveries, each with the request we sent and the start of the answer. */
export async function endpointWithLog({ tenantId, id }: { tenantId: string; id: string }) {
  const endpoint = await getWebhookEndpoint(db(), pii(), { tenantId, id });
  if (!endpoint) return null;
  const deliveries = await Promise.all(
    (await listDeliveries(db(), { tenantId, endpointId: id, limit: 25 })).map(async (d) => {
      const full = await getDelivery(db(), pii(), { tenantId, id: d.id });
      return {
        id: d.id,
        eventType: d.eventType,
        status: d.status,
        attempts: d.attempts,
        lastStatusCode: d.lastStatusCode,
        lastError: d.lastError,
        lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
        nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
        createdAt: d.createdAt.toISOString(),
        messageId: messageId(d.id),
        body: full?.body ?? "",
        response: full?.lastResponse ?? null,
      };
    }),
  );
  return { endpoint: { ...endpoint, createdAt: endpoint.createdAt.toISOString() }, deliveries };
}
