import type PgBoss from "pg-boss";

export type PoolOptions<T> = {
  /** Jobs run at once in this process. */
  concurrency: number;
  /** How often an idle pool asks for work. */
  pollMs: number;
  /** Keys a job counts against, each with how many of its jobs may run at once (an endpoint, a tenant). */
  limitsOf?: (data: T) => [key: string, limit: number][];
  /** A job whose key is full goes back to the queue this much later per turn it waits. */
  deferSeconds?: number;
  onError: (msg: string, err: unknown) => void;
};

/**
 * A queue worked continuously, at most `concurrency` jobs at once, each completed or failed on
 * its own and its slot refilled at once: one slow job holds one slot, never a batch (pg-boss's
 * `work` fetches again only when its whole batch is done). A job over one of its keys' limits
 * does not wait in a slot: it is queued again, later by `deferSeconds` for each turn ahead of it,
 * and this copy completed.
 */
export function workPool<T extends object>(boss: PgBoss, name: string, handle: (job: PgBoss.Job<T>) => Promise<unknown>, opts: PoolOptions<T>) {
  const running = new Set<Promise<void>>();
  const inFlight = new Map<string, number>();
  const waiting = new Map<string, number>();
  let stopping = false;
  let wake = () => {};
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = () => {};
        resolve();
      }
      wake = done;
    });
  const track = (p: Promise<void>) => {
    running.add(p);
    p.finally(() => {
      running.delete(p);
      wake();
    });
  };
  const count = (keys: [string, number][], by: 1 | -1) => {
    for (const [key] of keys) {
      const now = (inFlight.get(key) ?? 0) + by;
      if (now) inFlight.set(key, now);
      else {
        inFlight.delete(key);
        waiting.delete(key);
      }
    }
  };

  function start(job: PgBoss.Job<T>) {
    const keys = opts.limitsOf?.(job.data) ?? [];
    const full = keys.find(([key, limit]) => (inFlight.get(key) ?? 0) >= limit);
    if (full) return defer(job, full);
    count(keys, 1);
    const run = handle(job)
      .then(
        () => boss.complete(name, job.id),
        (err) => boss.fail(name, job.id, { message: String((err as Error)?.message ?? err) }),
      )
      .then(() => undefined)
      .catch((err) => opts.onError(`${name}: a job's outcome could not be filed`, err))
      .finally(() => count(keys, -1));
    track(run);
  }

  function defer(job: PgBoss.Job<T>, [key, limit]: [string, number]) {
    const ahead = (waiting.get(key) ?? 0) + 1;
    waiting.set(key, ahead);
    const later = Math.ceil(ahead / limit) * (opts.deferSeconds ?? 5);
    // Queued again before this copy is completed: a crash in between repeats a job, never loses one.
    const moved = boss
      .send(name, job.data, { startAfter: later })
      .then(() => boss.complete(name, job.id))
      .then(() => undefined)
      .catch((err) => opts.onError(`${name}: a job could not be put back`, err));
    track(moved);
  }

  const loop = (async () => {
    while (!stopping) {
      const free = opts.concurrency - running.size;
      if (free <= 0) {
        await nap(opts.pollMs);
        continue;
      }
      let jobs: PgBoss.Job<T>[] = [];
      try {
        jobs = (await boss.fetch<T>(name, { batchSize: free })) ?? [];
      } catch (err) {
        opts.onError(`${name}: fetching jobs failed`, err);
      }
      for (const job of jobs) start(job);
      if (jobs.length < free) await nap(opts.pollMs);
    }
  })();

  return {
    /** Fetches no more and waits for the jobs in hand (each bounded by its own deadline). */
    async stop() {
      stopping = true;
      wake();
      await loop;
      await Promise.allSettled([...running]);
    },
  };
}
