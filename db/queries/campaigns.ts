import { and, asc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { type AnsweredBy, answeredByValues, worthRetrying } from "../../core/answered-by";
import type { PiiCipher } from "../../core/crypto/pii";
import { piiField } from "../pii-columns";
import { agents, calls, type campaignRowStatuses, campaignRows, campaigns, phoneNumbers } from "../schema";
import { type Db, type Tx, withTenant } from "../tenant";
import { decodeCursor, keyset, keyText, nextCursor, pageSize, type SortDir, type SortSpec } from "./keyset";
import { liveCallRoom } from "./standing";

type Owner = { tenantId: string };
export type Campaign = typeof campaigns.$inferSelect;
type ScreeningSettings = "screeningAction" | "screeningMessage";
/** A campaign's settings; the screening ones have their columns' defaults (state the purpose, in the first message). */
export type CampaignSettings = Omit<Campaign, "id" | "tenantId" | "status" | "createdAt" | ScreeningSettings> &
  Partial<Pick<Campaign, ScreeningSettings>>;
export type CampaignRowInput = {
  phone: string;
  variables: Record<string, string>;
  timezone: string;
  doNotCall: boolean;
};

const field = (tenantId: string, column: "phone" | "variables") => piiField(tenantId, "campaign_rows", column);

/** A campaign naming an agent or a number the tenant does not have (foreign keys alone would not see it). */
export class CampaignInputError extends Error {
  override name = "CampaignInputError";
}

export function createCampaign(
  db: Db,
  pii: PiiCipher,
  { tenantId, settings, rows }: Owner & { settings: CampaignSettings; rows: CampaignRowInput[] },
) {
  return withTenant(db, tenantId, async (tx) => {
    const [agent] = await tx
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.id, settings.agentId), eq(agents.tenantId, tenantId), isNull(agents.deletedAt)));
    if (!agent) throw new CampaignInputError("No such agent.");
    const numbers = await tx
      .select({ id: phoneNumbers.id })
      .from(phoneNumbers)
      .where(and(eq(phoneNumbers.tenantId, tenantId), inArray(phoneNumbers.id, settings.fromNumberIds)));
    if (numbers.length !== new Set(settings.fromNumberIds).size)
      throw new CampaignInputError("A number to call from is not one of the team's.");
    const [c] = await tx
      .insert(campaigns)
      .values({ tenantId, ...settings })
      .returning();
    const values = await Promise.all(
      rows.map(async (r, i) => ({
        tenantId,
        campaignId: c!.id,
        rowNumber: i + 1,
        phone: await pii.encrypt(r.phone, field(tenantId, "phone")),
        variables: await pii.encrypt(JSON.stringify(r.variables), field(tenantId, "variables")),
        timezone: r.timezone,
        status: r.doNotCall ? ("do_not_call" as const) : ("pending" as const),
      })),
    );
    for (let i = 0; i < values.length; i += 500) await tx.insert(campaignRows).values(values.slice(i, i + 500));
    return c!;
  });
}

/**
 * The campaigns list's sorts. A team's campaigns are tens to hundreds (each is an uploaded list):
 * `campaigns_tenant_created_idx` finds them and any order is a sort of that handful.
 */
export const campaignSorts = {
  created: { expr: campaigns.createdAt, kind: "time" },
  name: { expr: campaigns.name, kind: "text" },
  status: { expr: campaigns.status, kind: "text" },
} satisfies Record<string, SortSpec>;
export type CampaignSort = keyof typeof campaignSorts;

/** A page of the tenant's campaigns with each one's progress (two grouped reads for the whole page). */
export async function listCampaigns(
  db: Db,
  {
    tenantId,
    status,
    sort = "created",
    dir = "desc",
    cursor,
    limit,
  }: Owner & { status?: Campaign["status"]; sort?: CampaignSort; dir?: SortDir; cursor?: string; limit?: number },
) {
  const size = pageSize(limit);
  const spec = campaignSorts[sort];
  const page = keyset(spec, campaigns.id, dir, cursor ? decodeCursor(cursor, sort, dir, spec) : undefined)[0]!; // one segment: these keys are never null
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .select({ campaign: campaigns, id: campaigns.id, sortKey: keyText(spec) })
      .from(campaigns)
      .where(and(eq(campaigns.tenantId, tenantId), status ? eq(campaigns.status, status) : undefined, page.where))
      .orderBy(...page.orderBy)
      .limit(size + 1);
    const { page: shown, nextCursor: next } = nextCursor(rows, size, sort, dir);
    const progress = await progressOf(
      tx,
      tenantId,
      shown.map((r) => r.id),
    );
    return { campaigns: shown.map((r) => ({ ...r.campaign, progress: progress.get(r.id)! })), nextCursor: next };
  });
}

async function progressOf(tx: Tx, tenantId: string, campaignIds: string[]) {
  const inPage = and(eq(campaignRows.tenantId, tenantId), inArray(campaignRows.campaignId, campaignIds));
  const counts = campaignIds.length
    ? await tx
        .select({ campaignId: campaignRows.campaignId, status: campaignRows.status, n: sql<number>`count(*)::int` })
        .from(campaignRows)
        .where(inPage)
        .groupBy(campaignRows.campaignId, campaignRows.status)
    : [];
  // Each contact counted once, by how its latest call was answered (docs/decisions/0045).
  const answers = campaignIds.length
    ? await tx
        .select({ campaignId: campaignRows.campaignId, answeredBy: calls.answeredBy, n: sql<number>`count(*)::int` })
        .from(campaignRows)
        .innerJoin(calls, and(eq(calls.id, campaignRows.lastCallId), eq(calls.tenantId, campaignRows.tenantId)))
        .where(inPage)
        .groupBy(campaignRows.campaignId, calls.answeredBy)
    : [];
  return new Map(
    campaignIds.map((id) => {
      const mine = counts.filter((c) => c.campaignId === id);
      const by = Object.fromEntries(mine.map((c) => [c.status, c.n])) as Partial<
        Record<(typeof campaignRowStatuses)[number], number>
      >;
      const answeredBy = Object.fromEntries(answeredByValues.map((v) => [v, 0])) as Record<AnsweredBy, number>;
      for (const a of answers) if (a.campaignId === id && a.answeredBy) answeredBy[a.answeredBy] = a.n;
      const total = mine.reduce((a, c) => a + c.n, 0);
      return [id, { total, open: (by.pending ?? 0) + (by.dialling ?? 0), by, answeredBy }];
    }),
  );
}

export async function getCampaign(db: Db, pii: PiiCipher, { tenantId, id }: Owner & { id: string }) {
  return withTenant(db, tenantId, async (tx) => {
    const [c] = await tx
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.id, id), eq(campaigns.tenantId, tenantId)));
    if (!c) return null;
    const rows = await tx
      .select()
      .from(campaignRows)
      .where(and(eq(campaignRows.tenantId, tenantId), eq(campaignRows.campaignId, id)))
      .orderBy(asc(campaignRows.rowNumber));
    const opened = await Promise.all(
      rows.map(async (r) => ({
        rowNumber: r.rowNumber,
        phone: await pii.decrypt(r.phone, field(tenantId, "phone")),
        variables: JSON.parse(await pii.decrypt(r.variables, field(tenantId, "variables"))) as Record<string, string>,
        status: r.status,
        attempts: r.attempts,
        lastCallId: r.lastCallId,
        result: r.result,
      })),
    );
    return { ...c, rows: opened, progress: (await progressOf(tx, tenantId, [id])).get(id)! };
  });
}

/** Pause, resume or cancel; cancelling gives up every row not yet dialled. A finished campaign stays finished. */
export function setCampaignStatus(
  db: Db,
  { tenantId, id, status }: Owner & { id: string; status: "running" | "paused" | "cancelled" },
) {
  return withTenant(db, tenantId, async (tx) => {
    const [c] = await tx
      .update(campaigns)
      .set({ status })
      .where(
        and(eq(campaigns.id, id), eq(campaigns.tenantId, tenantId), inArray(campaigns.status, ["running", "paused"])),
      )
      .returning();
    if (c && status === "cancelled")
      await tx
        .update(campaignRows)
        .set({ status: "cancelled", updatedAt: sql`now()` })
        .where(
          and(eq(campaignRows.tenantId, tenantId), eq(campaignRows.campaignId, id), eq(campaignRows.status, "pending")),
        );
    return c ?? null;
  });
}

export function runningCampaigns(db: Db, { tenantId }: Owner) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.tenantId, tenantId), eq(campaigns.status, "running"))),
  );
}

const localMinute = sql`(extract(hour from now() at time zone ${campaignRows.timezone}) * 60 + extract(minute from now() at time zone ${campaignRows.timezone}))`;

/**
 * Claims the rows to dial now, within the campaign's pace (calls started in the last minute) and
 * concurrency (rows still dialling), each due and inside its callee's calling window. The campaign
 * row is locked for the claim, so two workers never claim past the limits or claim a row twice.
 */
export function claimDueRows(db: Db, pii: PiiCipher, { tenantId, campaignId }: Owner & { campaignId: string }) {
  return withTenant(db, tenantId, async (tx) => {
    const [c] = await tx
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.id, campaignId), eq(campaigns.tenantId, tenantId), eq(campaigns.status, "running")))
      .for("update");
    if (!c) return [];
    const mine = and(eq(campaignRows.tenantId, tenantId), eq(campaignRows.campaignId, campaignId));
    const [{ inFlight, lastMinute, open }] = (await tx
      .select({
        inFlight: sql<number>`count(*) filter (where ${campaignRows.status} = 'dialling')::int`,
        lastMinute: sql<number>`count(*) filter (where ${campaignRows.claimedAt} > now() - interval '1 minute')::int`,
        open: sql<number>`count(*) filter (where ${campaignRows.status} in ('pending', 'dialling'))::int`,
      })
      .from(campaignRows)
      .where(mine)) as [{ inFlight: number; lastMinute: number; open: number }];
    // Two last rows settling at once can each miss the other's commit; under this lock the count is final.
    if (open === 0) {
      await tx
        .update(campaigns)
        .set({ status: "completed" })
        .where(and(eq(campaigns.id, campaignId), eq(campaigns.tenantId, tenantId)));
      return [];
    }
    const plan = await liveCallRoom(tx, tenantId);
    const room = Math.min(c.maxConcurrent - inFlight, c.callsPerMinute - lastMinute, plan.room);
    if (room <= 0) return [];
    const due = tx
      .select({ id: campaignRows.id })
      .from(campaignRows)
      .where(
        and(
          mine,
          eq(campaignRows.status, "pending"),
          sql`${campaignRows.nextAttemptAt} <= now()`,
          sql`${localMinute} >= ${c.windowStartMinute}`,
          sql`${localMinute} < ${c.windowEndMinute}`,
        ),
      )
      .orderBy(asc(campaignRows.nextAttemptAt), asc(campaignRows.rowNumber))
      .limit(room);
    const claimed = await tx
      .update(campaignRows)
      .set({
        status: "dialling",
        attempts: sql`${campaignRows.attempts} + 1`,
        claimedAt: sql`now()`,
        lastCallId: null,
        updatedAt: sql`now()`,
      })
      .where(and(mine, inArray(campaignRows.id, due)))
      .returning();
    return Promise.all(
      claimed.map(async (r) => ({
        id: r.id,
        rowNumber: r.rowNumber,
        phone: await pii.decrypt(r.phone, field(tenantId, "phone")),
        variables: JSON.parse(await pii.decrypt(r.variables, field(tenantId, "variables"))) as Record<string, string>,
        campaign: c,
      })),
    );
  });
}

/** The row could not be dialled (the number became do-not-call, Twilio refused): it ends with the reason. */
export function failRow(db: Db, { tenantId, rowId, reason }: Owner & { rowId: string; reason: string }) {
  return withTenant(db, tenantId, async (tx) => {
    await tx
      .update(campaignRows)
      .set({ status: "failed", result: { reason }, updatedAt: sql`now()` })
      .where(and(eq(campaignRows.id, rowId), eq(campaignRows.tenantId, tenantId)));
    await finishIfDone(tx, tenantId, rowId);
  });
}

/**
 * A claimed row whose call was never placed (the worker died between claim and dial) is given
 * up after five minutes, not dialled again: a campaign calls each person at most once per attempt.
 */
export function abandonStaleClaims(db: Db, { tenantId }: Owner) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .update(campaignRows)
      .set({ status: "failed", result: { reason: "interrupted before dialling" }, updatedAt: sql`now()` })
      .where(
        and(
          eq(campaignRows.tenantId, tenantId),
          eq(campaignRows.status, "dialling"),
          isNull(campaignRows.lastCallId),
          lt(campaignRows.claimedAt, sql`now() - interval '5 minutes'`),
        ),
      )
      .returning({ id: campaignRows.id }),
  );
}

/** Called with a campaign call's final Twilio status: the row is done, or waits for its retry. */
export async function settleRow(
  tx: Tx,
  { tenantId, rowId, status, callId }: Owner & { rowId: string; status: string; callId: string },
) {
  const [row] = await tx
    .select({ attempts: campaignRows.attempts, campaignId: campaignRows.campaignId })
    .from(campaignRows)
    .where(and(eq(campaignRows.id, rowId), eq(campaignRows.tenantId, tenantId), eq(campaignRows.status, "dialling")));
  if (!row) return;
  const [c] = await tx
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.id, row.campaignId), eq(campaigns.tenantId, tenantId)));
  const [call] = await tx
    .select({ answeredBy: calls.answeredBy, endReason: calls.endReason })
    .from(calls)
    .where(and(eq(calls.id, callId), eq(calls.tenantId, tenantId)));
  const answeredBy = call?.answeredBy ?? null;
  // A machine or a screening assistant hung up on, with nothing left, reached no one: tried again like no answer.
  const unreached = status === "busy" || status === "no-answer" || worthRetrying(answeredBy, call?.endReason ?? null);
  const retry = unreached && row.attempts < (c?.maxAttempts ?? 1) && c?.status !== "cancelled";
  const said: Record<string, string> = answeredBy ? { answeredBy } : {};
  const next = status === "completed" ? "completed" : status === "busy" || status === "no-answer" ? status : "failed";
  await tx
    .update(campaignRows)
    .set(
      retry
        ? {
            status: "pending",
            nextAttemptAt: sql`now() + make_interval(mins => ${c!.retryDelayMinutes})`,
            result: { lastOutcome: status, callId, ...said },
            updatedAt: sql`now()`,
          }
        : { status: next, result: { outcome: status, callId, ...said }, updatedAt: sql`now()` },
    )
    .where(and(eq(campaignRows.id, rowId), eq(campaignRows.tenantId, tenantId)));
  if (!retry) await finishIfDone(tx, tenantId, rowId);
}

async function finishIfDone(tx: Tx, tenantId: string, rowId: string) {
  await tx.execute(sql`
    update campaigns c set status = 'completed'
    where c.tenant_id = ${tenantId} and c.status = 'running'
      and c.id = (select campaign_id from campaign_rows where id = ${rowId})
      and not exists (select 1 from campaign_rows r where r.campaign_id = c.id and r.status in ('pending', 'dialling'))`);
}
