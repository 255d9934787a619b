import type { Server } from "node:http";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { signStreamToken } from "../../core/stream-token";
import { routeInboundCall } from "../../db/queries/inbound-calls";
import type { Db } from "../../db/tenant";
import { createRelayServer, type RelayOptions } from "../../media-relay/server";
import { ownerQuery, seedTenant } from "./seed";

/** A relay on a free port, and its teardown (calls closed before the caller's pool ends). */
export async function listenRelay(opts: RelayOptions) {
  const relay = createRelayServer(opts);
  const port = await new Promise<number>((r) =>
    (relay.server as Server).listen(0, "127.0.0.1", () => r((relay.server.address() as { port: number }).port)),
  );
  return {
    relay,
    url: `ws://127.0.0.1:${port}/twilio`,
    async stop() {
      for (const ws of relay.wss.clients) ws.terminate();
      relay.server.close();
      await new Promise((r) => setTimeout(r, 300));
    },
  };
}

/**
 * A call as the edge leaves it: a tenant (`tenant`, or a new one) whose agent has `settings` (columns set as the owner),
 * the call routed and ringing, and the stream token Twilio would present.
 */
export async function ringingCall(
  db: Db,
  opts: {
    ownerUrl: string;
    tokenSecret: string;
    settings?: Record<string, unknown>;
    tenant?: { number: string; agentId: string };
  },
) {
  const t = opts.tenant ?? (await seedTenant(opts.ownerUrl));
  for (const [column, value] of Object.entries(opts.settings ?? {})) {
    await ownerQuery(opts.ownerUrl, `update agents set ${column} = $1 where id = $2`, [value, t.agentId]);
  }
  const pii = createPiiCipher({ keys: generatePiiKey("t"), blindIndexKey: "test" });
  const route = await routeInboundCall(db, pii, {
    to: t.number,
    from: "+14155550123",
    providerCallSid: `CA${crypto.randomUUID().replace(/-/g, "")}`,
    signer: "platform",
  });
  if (route.kind !== "connect") throw new Error(route.kind);
  const token = await signStreamToken(
    opts.tokenSecret,
    { callId: route.callId, tenantId: route.tenantId, agentId: route.agentId },
    60,
  );
  return { ...route, token, number: t.number };
}
