import { type CallLimits, limitsFor } from "./call-limits";
import { startClock } from "./call-limits-clock";
import {
  type CallEffect,
  type CallEvent,
  type CallState,
  nextWake as callWake,
  canBargeIn,
  initialCall,
  stepCall,
} from "./call-state";

/** A conversation's call state: its agent's settings and its call's own deadlines, on the call's clock. */
export function startCallState(
  deps: {
    agent: Parameters<typeof limitsFor>[0];
    limits?: CallLimits;
    now(): number;
    log(fields: Record<string, unknown>): void;
  },
  onEffect: (effect: CallEffect) => void,
) {
  const config = limitsFor(deps.agent, deps.limits);
  const clock = startClock<CallState, CallEvent, CallEffect>(
    {
      initial: initialCall(config),
      step: (state, event) => {
        const r = stepCall(config, state, event);
        return { state: r.state, actions: r.effects };
      },
      wake: (state) => callWake(config, state),
      ended: (state) => state.limits.phase === "ended",
      // Closed without an ending of its own (the caller hung up): over all the same.
      ending: (state) => (state.limits.phase === "live" ? null : (state.limits.reason ?? "closed")),
    },
    { now: deps.now, log: deps.log, watch: deps.limits?.watch, onAction: onEffect },
  );
  return {
    send: clock.send,
    get ending() {
      return clock.ending;
    },
    /** Hung up, or the stream closed: nothing more happens on the call. */
    get over() {
      return clock.state.limits.phase === "ended";
    },
    get bargeIn() {
      return canBargeIn(clock.state);
    },
    /** A line still playing, as the call state holds it. */
    line: (id: string) => clock.state.playing.find((l) => l.id === id),
    /** The lines still playing, oldest first. */
    get lines() {
      return clock.state.playing;
    },
    /** The media stream is gone: every line keeps what was heard, and nothing more is decided. */
    close: () => clock.stop({ type: "transport_closed" }),
  };
}
export type CallInput = CallEvent extends infer E ? (E extends unknown ? Omit<E, "now"> : never) : never;
export type CallStateClock = ReturnType<typeof startCallState>;
