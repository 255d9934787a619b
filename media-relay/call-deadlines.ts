import { cappedSecondsLeft } from "../db/queries/standing";
import type { Db } from "../db/tenant";
import type { CallLimits, Deadline } from "../voice/call-limits";

const MIN_POLL_MS = 1000;
const MAX_POLL_MS = 30_000;
type Log = (fields: Record<string, unknown>) => void;
type Owner = { tenantId: string; callId: string };

/**
 * The deadlines a call has beyond its agent's maximum length (docs/decisions/0028): a web call's
 * session length, and a trial's minutes. Those are shared by the tenant's live calls, which use
 * them up together: each call ends when the pool would run dry at the rate they all drain it,
 * re-read at half the time left (between 1 and 30 s) so calls that start or end move it.
 */
export async function callDeadlines(
  db: Db,
  owner: Owner,
  opts: { web?: { maxSeconds: number }; now(): number; log: Log },
): Promise<CallLimits> {
  const read = async () => {
    const left = await cappedSecondsLeft(db, owner);
    return left === null ? null : opts.now() + (Math.max(0, left.secondsLeft) * 1000) / left.liveCalls;
  };
  let first: number | null | undefined;
  try {
    first = await read();
  } catch (err) {
    opts.log({
      level: "warn",
      msg: "trial minutes not read at answer; read again shortly",
      callId: owner.callId,
      err: String(err),
    });
  }
  const deadlines: Deadline[] = [
    ...(opts.web ? [{ reason: "session_limit" as const, atMs: opts.web.maxSeconds * 1000 }] : []),
    ...(typeof first === "number" ? [{ reason: "trial_used" as const, atMs: first }] : []),
  ];
  // Not capped (and known to be): nothing to watch.
  if (first === null) return { deadlines };

  const watch: CallLimits["watch"] = (update) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const schedule = (atMs: number) => {
      const wait = Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, (atMs - opts.now()) / 2));
      timer = setTimeout(poll, wait);
    };
    const poll = async () => {
      try {
        const at = await read();
        if (stopped) return;
        update({ reason: "trial_used", atMs: at });
        // A plan without a cap now (the tenant upgraded): the limit is lifted and nothing is watched.
        if (at !== null) schedule(at);
      } catch (err) {
        opts.log({
          level: "warn",
          msg: "trial minutes not re-read; the last deadline holds",
          callId: owner.callId,
          err: String(err),
        });
        if (!stopped) schedule(opts.now() + 2 * MAX_POLL_MS);
      }
    };
    schedule(first ?? opts.now());
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  };
  return { deadlines, watch };
}
