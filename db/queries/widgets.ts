import { and, eq, isNull, sql } from "drizzle-orm";
import { newPublishableKey } from "../../core/widget";
import { agents, callEvents, calls, widgets } from "../schema";
import { bindTenant, type Db, withPublishableKey, withTenant } from "../tenant";
import { type Actor, recordAudit } from "./audit";
import { holdsWidgetSession } from "./call-heartbeat";

export type Widget = typeof widgets.$inferSelect;
export type WidgetSettings = Omit<Widget, "id" | "tenantId" | "agentId" | "publishableKey" | "createdAt" | "updatedAt">;
/** What any page may learn about a widget: how it looks. Never the tenant, agent or limits. */
export const publicAppearance = (w: Widget) => ({
  buttonText: w.buttonText,
  color: w.color,
  textColor: w.textColor,
  position: w.position,
  greeting: w.greeting,
  consentText: w.consentText,
});

export async function getWidget(db: Db, { tenantId, agentId }: { tenantId: string; agentId: string }) {
  const [w] = await withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(widgets)
      .where(and(eq(widgets.tenantId, tenantId), eq(widgets.agentId, agentId))),
  );
  return w ?? null;
}

/** Creates the agent's widget (and its publishable key) on first save; updates it after. */
export function saveWidget(
  db: Db,
  { tenantId, agentId, actor, settings }: { tenantId: string; agentId: string; actor: Actor; settings: WidgetSettings },
) {
  return withTenant(db, tenantId, async (tx) => {
    const [w] = await tx
      .insert(widgets)
      .values({ tenantId, agentId, publishableKey: newPublishableKey(), ...settings })
      .onConflictDoUpdate({ target: widgets.agentId, set: { ...settings, updatedAt: sql`now()` } })
      .returning();
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "widget.saved",
      target: { type: "agent", id: agentId },
      metadata: { allowedOrigins: settings.allowedOrigins },
    });
    return w!;
  });
}

export async function widgetForKey(db: Db, publishableKey: string) {
  const [w] = await withPublishableKey(db, publishableKey, (tx) =>
    tx.select().from(widgets).where(eq(widgets.publishableKey, publishableKey)),
  );
  return w ?? null;
}

export type WebCallStart =
  | { kind: "connect"; callId: string; tenantId: string; agentId: string; maxSessionSeconds: number }
  | { kind: "busy" }
  | { kind: "no_agent" };

/**
 * Opens a web call for a visitor of an allowed page, unless the widget already has its maximum of
 * live sessions. One transaction, serialised per widget, so two clicks cannot both take the last seat.
 */
export function startWebCall(db: Db, widget: Widget, input: { origin: string }) {
  return withPublishableKey(db, widget.publishableKey, async (tx): Promise<WebCallStart> => {
    await bindTenant(tx, widget.tenantId);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${widget.id}))`);
    const [agent] = await tx
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.id, widget.agentId), eq(agents.tenantId, widget.tenantId), isNull(agents.deletedAt)));
    if (!agent) return { kind: "no_agent" };
    const [{ live }] = (await tx
      .select({ live: sql<number>`count(*)::int` })
      .from(calls)
      .where(
        and(
          eq(calls.tenantId, widget.tenantId),
          eq(calls.widgetId, widget.id),
          isNull(calls.endedAt),
          holdsWidgetSession(),
        ),
      )) as [{ live: number }];
    if (live >= widget.maxConcurrentSessions) return { kind: "busy" };
    const [call] = await tx
      .insert(calls)
      .values({
        tenantId: widget.tenantId,
        agentId: agent.id,
        direction: "web",
        widgetId: widget.id,
        origin: input.origin,
      })
      .returning({ id: calls.id });
    await tx.insert(callEvents).values({
      tenantId: widget.tenantId,
      callId: call!.id,
      type: "call.received",
      payload: { channel: "web", origin: input.origin },
    });
    return {
      kind: "connect",
      callId: call!.id,
      tenantId: widget.tenantId,
      agentId: agent.id,
      maxSessionSeconds: widget.maxSessionSeconds,
    };
  });
}
