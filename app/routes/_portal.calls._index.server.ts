import { answeredByValues } from "../../core/answered-by";
import type { PiiCipher } from "../../core/crypto/pii";
import { formatMicros } from "../../core/money";
import { listAgents } from "../../db/queries/agents";
import { callOutcomes, callSorts, listCallsPage } from "../../db/queries/calls";
import { callStatuses } from "../../db/schema";
import type { Db } from "../../db/tenant";
import { idParam, listQuery, oneOf, readingCursor, utcDay } from "../utils/list-query.server";

/** The filters the calls list reads from its URL; each is echoed back to fill the form. */
const filterNames = ["from", "outcome", "answeredBy", "agent", "status", "since", "until"] as const;

/** The calls page for one tenant: a page of calls (filtered and sorted by its URL), the agents to filter by. */
export async function callsPage(db: Db, pii: PiiCipher, tenantId: string, params: URLSearchParams) {
  const { sort, dir, cursor } = listQuery(params, callSorts, "created");
  const filters = {
    from: params.get("from")?.trim() || undefined,
    outcome: oneOf(callOutcomes, params.get("outcome")),
    answeredBy: oneOf(answeredByValues, params.get("answeredBy")),
    agentId: idParam(params.get("agent")),
    status: oneOf(callStatuses, params.get("status")),
    since: utcDay(params.get("since")),
    until: utcDay(params.get("until"), 1),
  };
  const [page, agents] = await Promise.all([
    readingCursor(listCallsPage(db, pii, { tenantId, ...filters, sort, dir, cursor })),
    listAgents(db, { tenantId }),
  ]);
  const values = Object.fromEntries(filterNames.map((n) => [n, params.get(n)?.trim() ?? ""])) as Record<
    (typeof filterNames)[number],
    string
  >;
  return {
    sort,
    dir,
    values,
    filtered: Object.values(filters).some((v) => v !== undefined),
    paged: Boolean(cursor),
    nextCursor: page.nextCursor,
    agents: agents.map((a) => ({ id: a.id, name: a.name })),
    /** Where a test call is placed from: the team's first agent. */
    firstAgentId: agents.at(-1)?.id ?? null,
    calls: page.calls.map((c) => ({
      id: c.id,
      createdAt: c.createdAt.toISOString(),
      agentName: c.agentName,
      direction: c.direction,
      origin: c.origin,
      fromNumber: c.fromNumber,
      status: c.status,
      success: c.success,
      answeredBy: c.answeredBy,
      durationSeconds: c.durationSeconds,
      cost: c.costMicros == null ? null : formatMicros(c.costMicros),
    })),
  };
}
