/**
 * One breaker per provider per relay process: after `threshold` failures in a row it opens and
 * calls fail at once for `coolDownMs` (no caller waits on a provider that is down), then lets one
 * call through to probe; a success closes it again.
 */
export class CircuitOpenError extends Error {
  constructor(provider: string) {
    super(`${provider} is unavailable (circuit open)`);
  }
}

export function createCircuitBreaker(
  provider: string,
  { threshold = 5, coolDownMs = 30_000, now = () => Date.now() } = {},
) {
  let failures = 0;
  let openedAt: number | null = null;
  return {
    get state() {
      if (openedAt === null) return "closed" as const;
      return now() - openedAt >= coolDownMs ? ("half-open" as const) : ("open" as const);
    },
    /** Throws CircuitOpenError instead of calling while open. */
    check() {
      if (this.state === "open") throw new CircuitOpenError(provider);
    },
    success() {
      failures = 0;
      openedAt = null;
    },
    failure() {
      failures++;
      if (failures >= threshold || this.state === "half-open") openedAt = now();
    },
  };
}
export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;
