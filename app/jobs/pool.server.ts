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
 * The one way a queue is worked in the jobs process: at most `concurrency` jobs at once, each
 * completed or failed on its own and its slot refilled at once: one slow job holds one slot,
 * never a batch (pg-boss's `work` fetches again only when its whole batch is done). A job over one
 * of its keys' limits does not wait in a slot: it is queued again, later by `deferSeconds` for
 * each turn ahead of it, and this copy completed.
 *
 * Written instead of pg-boss's `work`, whose loop also calls `complete` and `fail` without
 * awaiting them: one that failed (a connection lost at that moment; on the embedded default,
 * `portal "" does not exist`) was an unhandled rejection. Here it goes to `onError`; the job stays
 * active and pg-boss's supervisor retries it once it expires (issue 18).
 */
export function workPool<T extends object>(
  boss: PgBoss,
  name: string,
  handle: (job: PgBoss.Job<T>) => Promise<unknown>,
  opts: PoolOptions<T>,
) {
  const running = new Set<Promise<void>>();
  const held = new Set<string>();
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
    held.add(job.id);
    const run = withinExpiry(job, handle(job))
      .then(
        () => boss.complete(name, job.id),
        (err) => boss.fail(name, job.id, { message: String((err as Error)?.message ?? err) }),
      )
      .then(() => undefined)
      .catch((err) => opts.onError(`${name}: a job's outcome could not be filed`, err))
      .finally(() => {
        held.delete(job.id);
        count(keys, -1);
      });
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
    /** Fetches no more; waits up to `graceMs` for the jobs in hand, then fails those still running (retried at once). */
    async stop(graceMs = 5000) {
      stopping = true;
      wake();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([loop.then(() => Promise.allSettled([...running])), grace]);
      clearTimeout(timer);
      const handBack = [...held].map((id) =>
        boss.fail(name, id, { message: "the jobs process stopped while this job ran" }),
      );
      await Promise.all(handBack).catch((err) =>
        opts.onError(`${name}: running jobs could not be handed back; they are retried when they expire`, err),
      );
    },
  };
}

/** As pg-boss's `work`: a job still running when it expires is failed here (the supervisor would expire it anyway). */
function withinExpiry<R>(job: PgBoss.Job<object>, work: Promise<R>) {
  const seconds = Number((job as { expireInSeconds?: unknown }).expireInSeconds) || 15 * 60;
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`handler did not finish within ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([work, expiry]).finally(() => clearTimeout(timer));
}
