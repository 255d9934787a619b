import type PgBoss from "pg-boss";
import type { JobsConfig } from "../../core/config";
import type { JobPayloads, QueueName } from "../../db/pipeline";
import type { JobDeps } from "./deps.server";

/** A queue's retry policy, as its migration created it (`pgboss.create_queue`); a test holds the two together. */
export type RetryPolicy = {
  limit: number;
  delaySeconds: number;
  backoff: boolean;
  expireSeconds: number;
  deadLetter: boolean;
};

/** How a queue is worked in the jobs process (app/jobs/pool.server.ts). */
type Pool<T> = {
  /** Jobs run at once (default 20). */
  batch?: number;
  /** How often an idle pool asks for work (default 1 s). */
  pollSeconds?: number;
  /** Keys a job counts against, each with how many of its jobs may run at once, and how long one over its limit waits per turn. */
  limits?: { of: (data: T) => [key: string, limit: number][]; deferSeconds: number };
};

/** One feature's queue: its jobs' handler, how it is worked, its retries, and what is done with a job out of retries. */
export type JobDefinition<Q extends QueueName = QueueName> = Pool<JobPayloads[Q]> & {
  queue: Q;
  handle: (deps: JobDeps, job: PgBoss.Job<JobPayloads[Q]>) => Promise<unknown>;
  retry: RetryPolicy;
  /** Works `${queue}.dead`: a job out of retries. */
  onDead?: { handle: (deps: JobDeps, job: PgBoss.Job<JobPayloads[Q]>) => Promise<unknown>; pollSeconds: number };
};

/** A periodic task of each jobs process; off where `everyMs` is 0. A failed run is logged and tried again next time. */
export type ScheduleDefinition = {
  name: string;
  everyMs: (config: JobsConfig) => number;
  /** A run still going when the next is due is not joined by another. */
  oneAtATime?: boolean;
  run: (deps: JobDeps) => Promise<unknown>;
};

/** Keeps each definition's payload type tied to its queue inside the registry's list. */
export const defineJob = <Q extends QueueName>(d: JobDefinition<Q>) => d as unknown as JobDefinition;
