import { and, eq, isNull } from "drizzle-orm";
import { planOf } from "../../core/billing/plans";
import { normalizePhone, type PiiCipher } from "../../core/crypto/pii";
import { piiField } from "../pii-columns";
import { agents, callEvents, calls, phoneNumbers, tenants, twilioAccounts } from "../schema";
import { bindTenant, type Db, withRoutingNumber } from "../tenant";
import { callStanding } from "./standing";

export type InboundRoute =
  | {
      kind: "connect";
      tenantId: string;
      agentId: string;
      callId: string;
      record: boolean;
      concurrentCalls: number;
      accountSid: string | null;
    }
  | { kind: "unknown_number" }
  | { kind: "wrong_account"; tenantId: string }
  | { kind: "refused"; reason: "payment_failed" | "trial_used"; tenantId: string }
  | { kind: "no_agent" };

/**
 * Who signed the webhook: a tenant's Twilio account (subaccount or imported; its `id` in
 * twilio_accounts), or the platform's own account, whose token only we hold.
 */
export type WebhookSigner = { accountId: string } | "platform";

/**
 * Routes a call to the agent on the called number and records it, in one transaction that can
 * see only that number's row and then only its tenant's rows. A retried webhook (same CallSid)
 * gets the call it already created. A tenant account's signature vouches only for that account's
 * own numbers (docs/decisions/0022): it can never route a call into another account or tenant.
 */
export function routeInboundCall(
  db: Db,
  pii: PiiCipher,
  input: { to: string; from: string; providerCallSid: string; signer: WebhookSigner },
) {
  return withRoutingNumber(db, input.to, async (tx): Promise<InboundRoute> => {
    const [number] = await tx.select().from(phoneNumbers).where(eq(phoneNumbers.e164, input.to));
    if (!number) return { kind: "unknown_number" };
    await bindTenant(tx, number.tenantId);
    const [account] = number.twilioAccountId
      ? await tx
          .select({ accountSid: twilioAccounts.accountSid, kind: twilioAccounts.kind })
          .from(twilioAccounts)
          .where(and(eq(twilioAccounts.id, number.twilioAccountId), eq(twilioAccounts.tenantId, number.tenantId)))
      : [];
    if (!signedByOwner(input.signer, number.twilioAccountId, account?.kind))
      return { kind: "wrong_account", tenantId: number.tenantId };
    if (!number.agentId) return { kind: "no_agent" };
    const [agent] = await tx
      .select({ id: agents.id, record: agents.recordCalls })
      .from(agents)
      .where(and(eq(agents.id, number.agentId), eq(agents.tenantId, number.tenantId), isNull(agents.deletedAt)));
    if (!agent) return { kind: "no_agent" };
    const t = number.tenantId;
    const standing = await callStanding(tx, t);
    if (!standing.ok) return { kind: "refused", reason: standing.reason, tenantId: t };
    const [tenant] = await tx.select({ plan: tenants.plan }).from(tenants).where(eq(tenants.id, t));

    const [created] = await tx
      .insert(calls)
      .values({
        tenantId: number.tenantId,
        agentId: agent.id,
        phoneNumberId: number.id,
        direction: "inbound",
        fromNumber: await pii.encrypt(input.from, piiField(t, "calls", "from_number")),
        fromNumberIndex: await pii.blindIndex(normalizePhone(input.from), piiField(t, "calls", "from_number")),
        toNumber: await pii.encrypt(input.to, piiField(t, "calls", "to_number")),
        providerCallSid: input.providerCallSid,
      })
      .onConflictDoNothing({ target: calls.providerCallSid })
      .returning({ id: calls.id });
    let callId = created?.id;
    if (callId) {
      await tx.insert(callEvents).values({ tenantId: number.tenantId, callId, type: "call.received" });
    } else {
      const [existing] = await tx
        .select({ id: calls.id })
        .from(calls)
        .where(and(eq(calls.providerCallSid, input.providerCallSid), eq(calls.tenantId, number.tenantId)));
      callId = existing?.id;
    }
    if (!callId) return { kind: "unknown_number" };
    return {
      kind: "connect",
      tenantId: number.tenantId,
      agentId: agent.id,
      callId,
      record: agent.record,
      concurrentCalls: planOf(tenant?.plan).limits.concurrentCalls,
      accountSid: account?.accountSid ?? null,
    };
  });
}

/**
 * A tenant account signs for its own numbers only. The platform's token (ours alone) signs for
 * numbers on the main account and on the subaccounts it owns, never for a tenant's imported one.
 */
function signedByOwner(
  signer: WebhookSigner,
  numberAccountId: string | null,
  kind: "subaccount" | "imported" | undefined,
) {
  if (signer === "platform") return kind !== "imported";
  return numberAccountId !== null && signer.accountId === numberAccountId;
}
