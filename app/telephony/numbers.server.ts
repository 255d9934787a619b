import { limitMessage } from "../../core/billing/plans";
import type { PiiCipher } from "../../core/crypto/pii";
import { isUniqueViolation } from "../../db/queries/accounts";
import type { Actor } from "../../db/queries/audit";
import {
  addNumber,
  getNumber,
  getTwilioAccount,
  listNumbers,
  numberAllowance,
  removeNumber,
  saveTwilioAccount,
  setNumberCheck,
  type TwilioAccount,
} from "../../db/queries/phone-numbers";
import { listTenantIds } from "../../db/queries/tenants";
import type { Db } from "../../db/tenant";
import { type TwilioMain, twilioClient, twilioProblem } from "./twilio.server";

/** What the number operations need: the database, the cipher, the main Twilio account (null: SANDBOX), the edge's origin. */
export type Telephony = { db: Db; pii: PiiCipher; main: TwilioMain | null; edgeUrl: string };
type Tenant = { tenantId: string; tenantName: string };

/** The telephony operations as each process wires them: the main Twilio account if configured, else SANDBOX. */
export const telephonyFrom = (
  c: { TWILIO_ACCOUNT_SID?: string; TWILIO_AUTH_TOKEN?: string; TWILIO_API_URL?: string; EDGE_PUBLIC_URL?: string },
  db: Db,
  pii: PiiCipher,
): Telephony => ({
  db,
  pii,
  main:
    c.TWILIO_ACCOUNT_SID && c.TWILIO_AUTH_TOKEN
      ? { accountSid: c.TWILIO_ACCOUNT_SID, authToken: c.TWILIO_AUTH_TOKEN, apiUrl: c.TWILIO_API_URL }
      : null,
  edgeUrl: c.EDGE_PUBLIC_URL ?? "http://127.0.0.1:8787",
});

export class TelephonyError extends Error {
  override name = "TelephonyError";
}
const SANDBOX = "Telephony is in SANDBOX mode: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to buy numbers.";

/** Where a number's calls and status callbacks must go. */
export const numberHooks = (edgeUrl: string) => ({
  voiceUrl: new URL("/twilio/voice", edgeUrl).toString(),
  voiceMethod: "POST",
  statusCallback: new URL("/twilio/status", edgeUrl).toString(),
  statusCallbackMethod: "POST",
});

/** The client for a tenant's account: its subaccount through the main account, or its own imported credentials. */
export const clientFor = (t: Telephony, account: TwilioAccount) =>
  account.kind === "subaccount"
    ? twilioClient(t.main!, account.accountSid)
    : twilioClient({ ...account, apiUrl: t.main?.apiUrl });

/** The tenant's own subaccount, created the first time it needs one. */
export async function ensureSubaccount(t: Telephony, { tenantId, tenantName }: Tenant) {
  if (!t.main) throw new TelephonyError(SANDBOX);
  const existing = await getTwilioAccount(t.db, t.pii, { tenantId, kind: "subaccount" });
  if (existing) return existing;
  const created = await twilioClient(t.main).api.v2010.accounts.create({
    friendlyName: `BVRAI ${tenantName} (${tenantId})`,
  });
  const saved = await saveTwilioAccount(t.db, t.pii, {
    tenantId,
    kind: "subaccount",
    accountSid: created.sid,
    authToken: created.authToken,
  });
  // Two first purchases at once: the losing subaccount stays unused; the stored one is used by both.
  return saved ?? (await getTwilioAccount(t.db, t.pii, { tenantId, kind: "subaccount" }))!;
}

export type NumberQuery = {
  country: string;
  kind: "local" | "tollFree" | "mobile";
  areaCode?: string;
  contains?: string;
};

/**
 * Twilio's catalogue of numbers for sale is the same from every account, so a search runs on the
 * main account: looking creates nothing (Twilio caps an account's subaccounts; only a purchase,
 * within the plan's limit, creates the tenant's).
 */
export async function searchNumbers(t: Telephony, q: NumberQuery) {
  if (!t.main) throw new TelephonyError(SANDBOX);
  const country = twilioClient(t.main).availablePhoneNumbers(q.country);
  const params = {
    ...(q.areaCode ? { areaCode: Number(q.areaCode) } : {}),
    ...(q.contains ? { contains: q.contains } : {}),
    voiceEnabled: true,
    limit: 20,
  };
  try {
    const found: { phoneNumber: string; locality: string; region: string }[] =
      q.kind === "local"
        ? await country.local.list(params)
        : q.kind === "tollFree"
          ? await country.tollFree.list(params)
          : await country.mobile.list(params);
    return found.map((n) => ({ e164: n.phoneNumber, locality: n.locality, region: n.region }));
  } catch (err) {
    throw new TelephonyError(twilioProblem(err));
  }
}

/** Buys a number into the tenant's subaccount, already pointing at the edge, within the tenant's limit. */
async function assertRoomForNumber(t: Telephony, tenant: { tenantId: string; agentId: string | null }) {
  const { held, max, plan, ownAgent } = await numberAllowance(t.db, tenant);
  if (!ownAgent) throw new TelephonyError("Choose one of your own agents for the number.");
  if (held >= max) throw new TelephonyError(limitMessage(plan, "phoneNumbers", "phone numbers"));
}

export async function buyNumber(t: Telephony, tenant: Tenant & { actor: Actor; e164: string; agentId: string | null }) {
  await assertRoomForNumber(t, tenant);
  const account = await ensureSubaccount(t, tenant);
  let bought: { sid: string; phoneNumber: string; friendlyName: string };
  try {
    bought = await clientFor(t, account).incomingPhoneNumbers.create({
      phoneNumber: tenant.e164,
      friendlyName: tenant.e164,
      ...numberHooks(t.edgeUrl),
    });
  } catch (err) {
    throw new TelephonyError(twilioProblem(err));
  }
  try {
    return await addNumber(t.db, {
      ...tenant,
      providerSid: bought.sid,
      twilioAccountId: account.id,
      friendlyName: bought.friendlyName,
      e164: bought.phoneNumber,
      how: "bought",
    });
  } catch (err) {
    // Bought but not recorded: give it straight back rather than pay for a number nobody can see.
    await clientFor(t, account)
      .incomingPhoneNumbers(bought.sid)
      .remove()
      .catch(() => undefined);
    if (isUniqueViolation(err)) throw new TelephonyError(`${tenant.e164} is already in use on this platform.`);
    throw err;
  }
}

/** Brings a number the tenant already has in its own Twilio account, and points it at the edge. */
export async function importNumber(
  t: Telephony,
  tenant: Tenant & { actor: Actor; accountSid: string; authToken: string; e164: string; agentId: string | null },
) {
  await assertRoomForNumber(t, tenant);
  const probe = twilioClient({ accountSid: tenant.accountSid, authToken: tenant.authToken, apiUrl: t.main?.apiUrl });
  let found: { sid: string; phoneNumber: string; friendlyName: string } | undefined;
  try {
    [found] = await probe.incomingPhoneNumbers.list({ phoneNumber: tenant.e164, limit: 1 });
  } catch (err) {
    throw new TelephonyError(twilioProblem(err));
  }
  if (!found) throw new TelephonyError(`${tenant.e164} is not a number in that Twilio account.`);
  const account = await saveTwilioAccount(t.db, t.pii, {
    tenantId: tenant.tenantId,
    kind: "imported",
    accountSid: tenant.accountSid,
    authToken: tenant.authToken,
  });
  if (!account) throw new TelephonyError("That Twilio account is already connected to another team.");
  await probe.incomingPhoneNumbers(found.sid).update(numberHooks(t.edgeUrl));
  return addNumber(t.db, {
    ...tenant,
    providerSid: found.sid,
    twilioAccountId: account.id,
    friendlyName: found.friendlyName,
    e164: found.phoneNumber,
    how: "imported",
  }).catch((err) => {
    if (isUniqueViolation(err)) throw new TelephonyError(`${tenant.e164} is already in use on this platform.`);
    throw err;
  });
}

/** Gives a bought number back to Twilio (an imported one is only disconnected: it stays theirs). */
export async function releaseNumber(
  t: Telephony,
  { tenantId, actor, id }: { tenantId: string; actor: Actor; id: string },
) {
  const n = await getNumber(t.db, { tenantId, id });
  if (!n) return null;
  const account = n.twilioAccountId ? await getTwilioAccount(t.db, t.pii, { tenantId, id: n.twilioAccountId }) : null;
  if (account?.kind === "subaccount" && n.providerSid && t.main) {
    await clientFor(t, account)
      .incomingPhoneNumbers(n.providerSid)
      .remove()
      .catch((err: { status?: number }) => {
        if (err.status !== 404) throw new TelephonyError(twilioProblem(err)); // already gone at Twilio: release ours
      });
  }
  return removeNumber(t.db, { tenantId, actor, id });
}

/**
 * Compares each of the tenant's numbers with what Twilio has, repairs one that was changed (say,
 * in the Twilio console), and records what was wrong so the portal can show it.
 */
export async function checkNumbers(t: Telephony, { tenantId }: { tenantId: string }) {
  const want = numberHooks(t.edgeUrl);
  const results: { e164: string; drift: string | null }[] = [];
  for (const { number: n } of await listNumbers(t.db, { tenantId })) {
    if (!n.providerSid || !n.twilioAccountId) continue;
    const account = await getTwilioAccount(t.db, t.pii, { tenantId, id: n.twilioAccountId });
    if (!account || (account.kind === "subaccount" && !t.main)) continue;
    const remote = clientFor(t, account).incomingPhoneNumbers(n.providerSid);
    const live = await remote.fetch().catch(() => null);
    const drift = !live
      ? "The number is no longer in the Twilio account."
      : live.voiceUrl !== want.voiceUrl
        ? `Calls were going to ${live.voiceUrl || "nowhere"}; repaired.`
        : live.statusCallback !== want.statusCallback
          ? "Status callbacks pointed elsewhere; repaired."
          : null;
    if (live && drift) await remote.update(want);
    await setNumberCheck(t.db, { tenantId, id: n.id, drift });
    results.push({ e164: n.e164, drift });
  }
  return results;
}

/** The scheduled check: every tenant's numbers, one tenant at a time; a failing tenant does not stop the rest. */
export async function checkAllNumbers(t: Telephony, log: (fields: Record<string, unknown>) => void) {
  let drifted = 0;
  for (const tenantId of await listTenantIds(t.db)) {
    try {
      drifted += (await checkNumbers(t, { tenantId })).filter((r) => r.drift).length;
    } catch (err) {
      log({ level: "error", msg: "number check failed", tenantId, err: (err as Error).message });
    }
  }
  return drifted;
}
