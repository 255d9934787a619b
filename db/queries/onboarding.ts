import { and, eq, isNull } from "drizzle-orm";
import { agents, calls, phoneNumbers, tenants } from "../schema";
import { type Db, withTenant } from "../tenant";

export type OnboardingStep = "agent" | "browserTest" | "number" | "payment";

/** The dashboard's getting-started checklist, read from what the team has actually done. */
export function onboardingProgress(db: Db, { tenantId }: { tenantId: string }) {
  return withTenant(db, tenantId, async (tx) => {
    const any = async (rows: Promise<unknown[]>) => (await rows).length > 0;
    const done: Record<OnboardingStep, boolean> = {
      agent: await any(
        tx
          .select({ id: agents.id })
          .from(agents)
          .where(and(eq(agents.tenantId, tenantId), isNull(agents.deletedAt)))
          .limit(1),
      ),
      browserTest: await any(
        tx
          .select({ id: calls.id })
          .from(calls)
          .where(and(eq(calls.tenantId, tenantId), eq(calls.direction, "web")))
          .limit(1),
      ),
      number: await any(
        tx.select({ id: phoneNumbers.id }).from(phoneNumbers).where(eq(phoneNumbers.tenantId, tenantId)).limit(1),
      ),
      payment:
        (await tx.select({ s: tenants.stripeSubscriptionId }).from(tenants).where(eq(tenants.id, tenantId)))[0]?.s !=
        null,
    };
    return { done, complete: Object.values(done).every(Boolean) };
  });
}
