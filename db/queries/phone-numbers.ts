import { and, asc, count, eq, ilike, or } from "drizzle-orm";
import { planOf } from "../../core/billing/plans";
import type { PiiCipher } from "../../core/crypto/pii";
import { piiField } from "../pii-columns";
import { agents, phoneNumbers, tenants, twilioAccounts } from "../schema";
import { type Db, type Tx, withTenant, withTwilioAccountSid } from "../tenant";
import { type Actor, recordAudit } from "./audit";
import { decodeCursor, keyset, keyText, nextCursor, pageSize, type SortDir, type SortSpec } from "./keyset";
import { queueWebhookEvent } from "./webhook-events";

export type PhoneNumber = typeof phoneNumbers.$inferSelect;
type Owner = { tenantId: string };

export function listNumbers(db: Db, { tenantId }: Owner) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({ number: phoneNumbers, agentName: agents.name })
      .from(phoneNumbers)
      .leftJoin(agents, eq(agents.id, phoneNumbers.agentId))
      .where(eq(phoneNumbers.tenantId, tenantId))
      .orderBy(asc(phoneNumbers.createdAt)),
  );
}

/**
 * The numbers list's sorts. A team holds at most its plan's handful of numbers, so its rows
 * (found by `phone_numbers_tenant_idx`) are sorted in memory, whatever the order.
 */
export const numberSorts = {
  created: { expr: phoneNumbers.createdAt, kind: "time" },
  number: { expr: phoneNumbers.e164, kind: "text" },
} satisfies Record<string, SortSpec>;
export type NumberSort = keyof typeof numberSorts;

const likeText = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A page of the tenant's numbers; `search` finds digits of the number or words of its name, `agentId` the agent's. */
export async function pageNumbers(
  db: Db,
  {
    tenantId,
    search,
    agentId,
    sort = "created",
    dir = "desc",
    cursor,
    limit,
  }: Owner & { search?: string; agentId?: string; sort?: NumberSort; dir?: SortDir; cursor?: string; limit?: number },
) {
  const size = pageSize(limit);
  const spec = numberSorts[sort];
  const page = keyset(spec, phoneNumbers.id, dir, cursor ? decodeCursor(cursor, sort, dir, spec) : undefined)[0]!; // one segment: these keys are never null
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ number: phoneNumbers, agentName: agents.name, id: phoneNumbers.id, sortKey: keyText(spec) })
      .from(phoneNumbers)
      .leftJoin(agents, eq(agents.id, phoneNumbers.agentId))
      .where(
        and(
          eq(phoneNumbers.tenantId, tenantId),
          search
            ? or(ilike(phoneNumbers.e164, likeText(search)), ilike(phoneNumbers.friendlyName, likeText(search)))
            : undefined,
          agentId ? eq(phoneNumbers.agentId, agentId) : undefined,
          page.where,
        ),
      )
      .orderBy(...page.orderBy)
      .limit(size + 1),
  );
  const { page: numbers, nextCursor: next } = nextCursor(rows, size, sort, dir);
  return { numbers, nextCursor: next };
}

export async function getNumber(db: Db, { tenantId, id }: Owner & { id: string }) {
  const [n] = await withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(phoneNumbers)
      .where(and(eq(phoneNumbers.id, id), eq(phoneNumbers.tenantId, tenantId))),
  );
  return n ?? null;
}

// A foreign key ignores RLS: the agent a number is given to is checked against the tenant's own.
async function isOwnAgent(tx: Tx, tenantId: string, agentId: string | null | undefined) {
  if (!agentId) return true;
  const [a] = await tx
    .select({ id: agents.id })
    .from(agents)
    .where(and(eq(agents.id, agentId), eq(agents.tenantId, tenantId)));
  return Boolean(a);
}

/**
 * How many numbers the tenant holds, and its plan (whose limit says how many it may hold); with an
 * `agentId`, whether that agent is the tenant's own (checked before a number is paid for).
 */
export async function numberAllowance(db: Db, { tenantId, agentId }: Owner & { agentId?: string | null }) {
  return withTenant(db, tenantId, async (tx) => {
    const [{ held }] = (await tx
      .select({ held: count() })
      .from(phoneNumbers)
      .where(eq(phoneNumbers.tenantId, tenantId))) as [{ held: number }];
    const [t] = await tx.select({ plan: tenants.plan }).from(tenants).where(eq(tenants.id, tenantId));
    const plan = planOf(t?.plan);
    return { held, max: plan.limits.phoneNumbers, plan, ownAgent: await isOwnAgent(tx, tenantId, agentId) };
  });
}

export function addNumber(
  db: Db,
  n: Owner & {
    actor: Actor;
    e164: string;
    providerSid: string;
    twilioAccountId: string;
    friendlyName: string;
    agentId: string | null;
    how: "bought" | "imported";
  },
) {
  return withTenant(db, n.tenantId, async (tx) => {
    if (!(await isOwnAgent(tx, n.tenantId, n.agentId)))
      throw new Error("a number can only be given to one of the tenant's own agents");
    const [row] = await tx
      .insert(phoneNumbers)
      .values({
        tenantId: n.tenantId,
        e164: n.e164,
        providerSid: n.providerSid,
        twilioAccountId: n.twilioAccountId,
        friendlyName: n.friendlyName,
        agentId: n.agentId,
        configCheckedAt: new Date(),
      })
      .returning();
    await recordAudit(tx, {
      tenantId: n.tenantId,
      actor: n.actor,
      action: "number.added",
      target: { type: "phone_number", id: row!.id },
      metadata: { how: n.how },
    });
    if (n.how === "bought")
      await queueWebhookEvent(tx, {
        tenantId: n.tenantId,
        type: "number.purchased",
        eventId: `number.purchased:${row!.id}`,
        ref: { numberId: row!.id },
      });
    return row!;
  });
}

/** Points a number at an agent (or at none) and renames it; the agent must be the tenant's own. */
export function updateNumber(
  db: Db,
  u: Owner & { actor: Actor; id: string; agentId: string | null; friendlyName: string },
) {
  return withTenant(db, u.tenantId, async (tx) => {
    if (!(await isOwnAgent(tx, u.tenantId, u.agentId))) return null;
    const [row] = await tx
      .update(phoneNumbers)
      .set({ agentId: u.agentId, friendlyName: u.friendlyName })
      .where(and(eq(phoneNumbers.id, u.id), eq(phoneNumbers.tenantId, u.tenantId)))
      .returning();
    if (row)
      await recordAudit(tx, {
        tenantId: u.tenantId,
        actor: u.actor,
        action: "number.attached",
        target: { type: "phone_number", id: row.id },
        metadata: { agentId: u.agentId },
      });
    return row ?? null;
  });
}

export function removeNumber(db: Db, { tenantId, actor, id }: Owner & { actor: Actor; id: string }) {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .delete(phoneNumbers)
      .where(and(eq(phoneNumbers.id, id), eq(phoneNumbers.tenantId, tenantId)))
      .returning();
    if (row)
      await recordAudit(tx, {
        tenantId,
        actor,
        action: "number.released",
        target: { type: "phone_number", id },
        metadata: {},
      });
    return row ?? null;
  });
}

export function setNumberCheck(db: Db, { tenantId, id, drift }: Owner & { id: string; drift: string | null }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .update(phoneNumbers)
      .set({ configDrift: drift, configCheckedAt: new Date() })
      .where(and(eq(phoneNumbers.id, id), eq(phoneNumbers.tenantId, tenantId))),
  );
}

export type TwilioAccount = {
  id: string;
  tenantId: string;
  kind: "subaccount" | "imported";
  accountSid: string;
  authToken: string;
};

async function openAccount(pii: PiiCipher, row: typeof twilioAccounts.$inferSelect): Promise<TwilioAccount> {
  return {
    id: row.id,
    tenantId: row.tenantId,
    kind: row.kind,
    accountSid: row.accountSid,
    authToken: await pii.decrypt(row.authToken, piiField(row.tenantId, "twilio_accounts", "auth_token")),
  };
}

export async function getTwilioAccount(
  db: Db,
  pii: PiiCipher,
  { tenantId, id, kind }: Owner & { id?: string; kind?: "subaccount" },
) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(twilioAccounts)
      .where(
        and(
          eq(twilioAccounts.tenantId, tenantId),
          id ? eq(twilioAccounts.id, id) : undefined,
          kind ? eq(twilioAccounts.kind, kind) : undefined,
        ),
      ),
  );
  return row ? openAccount(pii, row) : null;
}

/** Stores an account's credentials (encrypted); an account already stored for this tenant is returned as it is. */
export function saveTwilioAccount(
  db: Db,
  pii: PiiCipher,
  a: Owner & { kind: "subaccount" | "imported"; accountSid: string; authToken: string },
) {
  return withTenant(db, a.tenantId, async (tx) => {
    const sealed = await pii.encrypt(a.authToken, piiField(a.tenantId, "twilio_accounts", "auth_token"));
    await tx
      .insert(twilioAccounts)
      .values({ tenantId: a.tenantId, kind: a.kind, accountSid: a.accountSid, authToken: sealed })
      .onConflictDoNothing();
    const [row] = await tx
      .select()
      .from(twilioAccounts)
      .where(and(eq(twilioAccounts.accountSid, a.accountSid), eq(twilioAccounts.tenantId, a.tenantId)));
    return row ? openAccount(pii, row) : null;
  });
}

/** The tenant account a Twilio request names (its auth token signed the request); null if not ours. */
export async function twilioAccountBySid(db: Db, pii: PiiCipher, accountSid: string) {
  if (!/^AC[0-9a-f]{32}$/i.test(accountSid)) return null;
  const [row] = await withTwilioAccountSid(db, accountSid, (tx) =>
    tx.select().from(twilioAccounts).where(eq(twilioAccounts.accountSid, accountSid)),
  );
  return row ? openAccount(pii, row) : null;
}
