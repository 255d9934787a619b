import { and, eq, isNull } from "drizzle-orm";
import { agents, callEvents, calls } from "../schema";
import { type Db, withTenant } from "../tenant";

/** A browser test call lasts at most this long, whatever the agent allows. */
export const TEST_CALL_SECONDS = 300;

/**
 * A call from the portal to one of the team's agents, in the browser (a web call with no widget):
 * null when the agent is not the tenant's. Its token is issued by the portal, its audio goes through the relay.
 */
export function startTestCall(
  db: Db,
  { tenantId, agentId, origin }: { tenantId: string; agentId: string; origin: string },
) {
  return withTenant(db, tenantId, async (tx) => {
    const [agent] = await tx
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.id, agentId), eq(agents.tenantId, tenantId), isNull(agents.deletedAt)));
    if (!agent) return null;
    const [call] = await tx
      .insert(calls)
      .values({ tenantId, agentId, direction: "web", origin })
      .returning({ id: calls.id });
    await tx
      .insert(callEvents)
      .values({ tenantId, callId: call!.id, type: "call.received", payload: { channel: "web", origin, test: true } });
    return { callId: call!.id };
  });
}
