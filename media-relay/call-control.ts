import { listen } from "../db/listen";
import { channels } from "../db/live-signals";
import { endRequested } from "../db/queries/live-calls";
import type { Db } from "../db/tenant";

type Log = (f: Record<string, unknown>) => void;
type Relay = {
  liveCalls(): { tenantId: string; callId: string }[];
  endCall(callId: string, reason: string): Promise<boolean>;
};

/**
 * Admins' requests to end live calls reach the relay carrying the call: a Postgres signal for
 * speed, and a poll of the calls it carries for a signal missed while disconnected.
 */
export function startCallControl(opts: { db: Db; url: string; relay: Relay; pollMs?: number; log: Log }) {
  const end = async (callId: string) => {
    if (await opts.relay.endCall(callId, "ended_by_admin"))
      opts.log({ level: "info", msg: "call ended by an admin", callId });
  };
  const listener = listen(opts.url, channels.callControl, (callId) => void end(callId).catch(() => {}), opts.log);
  let polling = false;
  const timer = setInterval(async () => {
    const live = opts.relay.liveCalls();
    if (polling || !live.length) return;
    polling = true;
    try {
      const byTenant = new Map<string, string[]>();
      for (const c of live) byTenant.set(c.tenantId, [...(byTenant.get(c.tenantId) ?? []), c.callId]);
      for (const [tenantId, callIds] of byTenant)
        for (const callId of await endRequested(opts.db, { tenantId, callIds })) await end(callId);
    } catch (err) {
      opts.log({ level: "warn", msg: "call control poll failed", err: (err as Error).message });
    } finally {
      polling = false;
    }
  }, opts.pollMs ?? 2000);
  return {
    async close() {
      clearInterval(timer);
      await listener.close();
    },
  };
}
