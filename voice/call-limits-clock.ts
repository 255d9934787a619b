import {
  type CallLimits,
  initialLimits,
  type LimitsAction,
  type LimitsConfig,
  type LimitsEvent,
  type LimitsState,
  nextWake,
  stepLimits,
} from "./call-limits";

type EventOf<E> = E extends LimitsEvent ? Omit<E, "now"> : never;
export type LimitsInput = EventOf<LimitsEvent>;

/** setTimeout's limit: a longer wait fires at once, so it is made in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A reducer on the call's clock: the time of each event given, and the next moment it needs a look. */
export type Machine<S, E, A> = {
  initial: S;
  step(state: S, event: E): { state: S; actions: A[] };
  wake(state: S): number | null;
  ended(state: S): boolean;
  /** Why the call is ending or ended; null while it runs. */
  ending(state: S): string | null;
};

/**
 * Runs a call's reducer while the call is live: stamps each event with `now()`, performs the
 * actions it decides, and keeps one timer set for the next moment the rules need a look. Events
 * sent while an action runs are queued, so every action sees the state it came from.
 */
export function startClock<S, E extends { type: string; now: number }, A extends { kind: string }>(
  machine: Machine<S, E, A>,
  opts: {
    now(): number;
    onAction(action: A): void;
    log(fields: Record<string, unknown>): void;
    watch?: CallLimits["watch"];
  },
) {
  let state = machine.initial;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wakeAt: number | null = null;
  const queue: E[] = [];
  let running = false;
  type Input = E extends unknown ? Omit<E, "now"> : never;

  function arm() {
    const at = machine.wake(state);
    // A timer already set earlier is kept: when it fires, the tick finds nothing due and re-arms.
    // So a stream of caller-voice events does not reset the timer on every frame.
    if (at === null || (wakeAt !== null && wakeAt <= at)) return;
    clearTimeout(timer);
    wakeAt = at;
    timer = setTimeout(
      () => {
        wakeAt = null;
        send({ type: "tick" } as Input);
      },
      Math.min(MAX_TIMER_MS, Math.max(0, at - opts.now())),
    );
  }

  function send(event: Input) {
    queue.push({ ...event, now: opts.now() } as unknown as E);
    if (running) return;
    running = true;
    try {
      for (let e = queue.shift(); e; e = queue.shift()) {
        const next = machine.step(state, e);
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
    if (machine.ended(state)) {
      clearTimeout(timer);
      wakeAt = null;
    } else arm();
  }

  arm();
  // Started once the caller holds the clock, so no update can reach it half-built.
  let unwatch: (() => void) | undefined;
  queueMicrotask(() => {
    if (!machine.ended(state)) unwatch = opts.watch?.((d) => send({ type: "deadline", ...d } as unknown as Input));
  });
  return {
    send,
    get state() {
      return state;
    },
    /** Why the call is ending (its last line is playing) or ended; null while it runs. */
    get ending() {
      return machine.ending(state);
    },
    /** Stops the clock: no more decisions, no timer left behind. */
    stop(last: Input) {
      unwatch?.();
      send(last);
    },
  };
}

export const limitsMachine = (config: LimitsConfig): Machine<LimitsState, LimitsEvent, LimitsAction> => ({
  initial: initialLimits(config),
  step: (state, event) => stepLimits(config, state, event),
  wake: (state) => nextWake(config, state),
  ended: (state) => state.phase === "ended",
  ending: (state) => (state.phase === "live" ? null : state.reason),
});

/** The call-limits reducer alone on the clock (its own tests; the engines run it inside call-state). */
export function startCallLimits(
  config: LimitsConfig,
  opts: {
    now(): number;
    onAction(action: LimitsAction): void;
    log(fields: Record<string, unknown>): void;
    watch?: CallLimits["watch"];
  },
) {
  const clock = startClock(limitsMachine(config), opts);
  return {
    send: (event: LimitsInput) => clock.send(event),
    get ending() {
      return clock.ending;
    },
    close: () => clock.stop({ type: "closed" }),
  };
}
