import {
  type CallLimits,
  initialLimits,
  type LimitsAction,
  type LimitsConfig,
  type LimitsEvent,
  type LimitsState,
  limitsFor,
  nextWake,
  stepLimits,
} from "./call-limits";

type EventOf<E> = E extends LimitsEvent ? Omit<E, "now"> : never;
export type LimitsInput = EventOf<LimitsEvent>;

/** setTimeout's limit: a longer wait fires at once, so it is made in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs the call-limits reducer for one live call: stamps each event with `now()`, performs the
 * actions it decides, and keeps one timer set for the next moment the rules need a look. Events
 * sent while an action runs are queued, so every action sees the state it came from.
 */
export function startCallLimits(
  config: LimitsConfig,
  opts: {
    now(): number;
    onAction(action: LimitsAction): void;
    log(fields: Record<string, unknown>): void;
    watch?: CallLimits["watch"];
  },
) {
  let state: LimitsState = initialLimits(config);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wakeAt: number | null = null;
  const queue: LimitsEvent[] = [];
  let running = false;

  function arm() {
    const at = nextWake(config, state);
    // A timer already set earlier is kept: when it fires, the tick finds nothing due and re-arms.
    // So a stream of caller-voice events does not reset the timer on every frame.
    if (at === null || (wakeAt !== null && wakeAt <= at)) return;
    clearTimeout(timer);
    wakeAt = at;
    timer = setTimeout(
      () => {
        wakeAt = null;
        send({ type: "tick" });
      },
      Math.min(MAX_TIMER_MS, Math.max(0, at - opts.now())),
    );
  }

  function send(event: LimitsInput) {
    queue.push({ ...event, now: opts.now() } as LimitsEvent);
    if (running) return;
    running = true;
    try {
      for (let e = queue.shift(); e; e = queue.shift()) {
        const next = stepLimits(config, state, e);
        state = next.state;
        for (const action of next.actions) {
          try {
            opts.onAction(action);
          } catch (err) {
            opts.log({
              level: "error",
              msg: "call-limits action failed",
              action: action.kind,
              err: (err as Error).message,
            });
          }
        }
      }
    } finally {
      running = false;
    }
    if (state.phase === "ended") {
      clearTimeout(timer);
      wakeAt = null;
    } else arm();
  }

  arm();
  // Started once the caller holds the clock, so no update can reach it half-built.
  let unwatch: (() => void) | undefined;
  queueMicrotask(() => {
    if (state.phase !== "ended") unwatch = opts.watch?.((d) => send({ type: "deadline", ...d }));
  });
  return {
    send,
    /** Why the call is ending (its last line is playing) or ended; null while it runs. */
    get ending() {
      return state.phase === "live" ? null : state.reason;
    },
    /** The call is over: no more decisions, no timer left behind. */
    close() {
      unwatch?.();
      send({ type: "closed" });
    },
  };
}

/** A conversation's rules: its agent's settings and its call's own deadlines, on the call's clock. */
export const startConversationLimits = (
  deps: {
    agent: Parameters<typeof limitsFor>[0];
    limits?: CallLimits;
    now(): number;
    log(fields: Record<string, unknown>): void;
  },
  onAction: (action: LimitsAction) => void,
) =>
  startCallLimits(limitsFor(deps.agent, deps.limits), {
    now: deps.now,
    log: deps.log,
    watch: deps.limits?.watch,
    onAction,
  });
