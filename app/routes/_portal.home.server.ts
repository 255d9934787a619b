import { graceEndsAt, planOf } from "../../core/billing/plans";
import type { PiiCipher } from "../../core/crypto/pii";
import { formatMicros } from "../../core/money";
import { listAgents } from "../../db/queries/agents";
import { billingOf } from "../../db/queries/billing";
import { listCalls } from "../../db/queries/calls";
import { attentionItems, homeFigures } from "../../db/queries/home";
import { listLiveCalls } from "../../db/queries/live-calls";
import { onboardingProgress } from "../../db/queries/onboarding";
import type { Db } from "../../db/tenant";

type Billed = { calls: number; seconds: bigint; micros: bigint };
type Quality = Awaited<ReturnType<typeof homeFigures>>["today"]["quality"];

const figures = (billed: Billed, quality: Quality, placed?: number) => ({
  placed: placed ?? null,
  billedCalls: billed.calls,
  minutes: (Number(billed.seconds) / 60).toFixed(1),
  cost: formatMicros(billed.micros),
  /** Share of the calls the rubric judged that it found successful; null when none was judged. */
  successRate: quality.judged ? `${Math.round((quality.successful / quality.judged) * 100)} %` : null,
  judged: quality.judged,
  p50FirstAnswer: quality.p50FirstAnswerMs == null ? null : `${quality.p50FirstAnswerMs} ms`,
  sampleCapped: quality.capped,
});

/** Everything the home page shows, for one tenant (every read is the tenant's own). */
export async function homeData(db: Db, pii: PiiCipher, tenantId: string, now = new Date()) {
  const standing = await billingOf(db, { tenantId });
  const [numbers, live, recent, onboarding, attention, agents] = await Promise.all([
    homeFigures(db, { tenantId, periodStart: standing?.periodStart ?? null, now }),
    listLiveCalls(db, { tenantId }),
    listCalls(db, pii, { tenantId, limit: 5 }),
    onboardingProgress(db, { tenantId }),
    attentionItems(db, { tenantId }),
    listAgents(db, { tenantId }),
  ]);
  const plan = planOf(standing?.plan);
  const trialSecondsLeft =
    plan.id === "trial"
      ? plan.includedSeconds > numbers.period.billed.seconds
        ? plan.includedSeconds - numbers.period.billed.seconds
        : 0n
      : null;
  return {
    periodStart: numbers.periodStart.toISOString().slice(0, 10),
    today: figures(numbers.today.billed, numbers.today.quality, numbers.today.placed),
    period: figures(numbers.period.billed, numbers.period.quality),
    liveNow: live.length,
    /** The team's first agent: where a test call is placed from. */
    firstAgentId: agents.at(-1)?.id ?? null,
    onboarding: onboarding.complete ? null : onboarding.done,
    recent: recent.map((c) => ({
      id: c.id,
      createdAt: c.createdAt.toISOString(),
      direction: c.direction,
      origin: c.origin,
      fromNumber: c.fromNumber,
      status: c.status,
      agentName: c.agentName,
      durationSeconds: c.durationSeconds,
      cost: c.costMicros == null ? null : formatMicros(c.costMicros),
      success: c.success,
      answeredBy: c.answeredBy,
    })),
    attention: {
      paymentFailing: standing?.pastDueSince
        ? { refusing: graceEndsAt(standing.pastDueSince).getTime() < Date.now() }
        : null,
      driftedNumbers: attention.driftedNumbers,
      failingEndpoints: attention.failingEndpoints,
      trialMinutesLeft: trialSecondsLeft == null ? null : (Number(trialSecondsLeft) / 60).toFixed(1),
      trialMinutesIncluded: (Number(plan.includedSeconds) / 60).toFixed(0),
    },
  };
}

export type HomeData = Awaited<ReturnType<typeof homeData>>;
