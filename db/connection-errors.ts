const connectionCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND"]);

/** The database could not be reached or went away (not: the statement was refused). */
export function isConnectionError(err: unknown): boolean {
  for (
    let e = err as { code?: string; message?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (e.code && (connectionCodes.has(e.code) || /^(08|57P0)/.test(e.code))) return true;
    if (
      /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
        e.message ?? "",
      )
    )
      return true;
  }
  return false;
}

/** A 503 for a database that is away asks to be tried again after this (seconds): a failover or restart is usually over by then. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * A write that must not be lost while Postgres is away (a failover, a restart): tried again, with
 * backoff, until the database answers or `deadlineMs` passes. Only for idempotent writes (a turn
 * by its sequence number, a call's close once): the first attempt may have committed unseen.
 */
export async function untilWritten<T>(
  write: () => Promise<T>,
  opts: { deadlineMs?: number; onRetry?: (err: unknown, attempt: number) => void } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.deadlineMs ?? 10 * 60_000);
  for (let attempt = 1, delay = 200; ; attempt++, delay = Math.min(delay * 2, 5000)) {
    try {
      return await write();
    } catch (err) {
      if (!isConnectionError(err) || Date.now() + delay > deadline) throw err;
      opts.onRetry?.(err, attempt);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
