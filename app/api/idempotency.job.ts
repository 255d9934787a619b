import { sweepIdempotencyKeys } from "../../db/queries/idempotency";
import { listTenantIds } from "../../db/queries/tenants";
import type { ScheduleDefinition } from "../jobs/definition";

/** Stored API responses past their idempotency window, removed. */
export const idempotencySweepSchedule: ScheduleDefinition = {
  name: "idempotency sweep",
  everyMs: (c) => c.IDEMPOTENCY_SWEEP_MINUTES * 60_000,
  run: async (d) =>
    d.log({ msg: "idempotency keys swept", removed: await sweepIdempotencyKeys(d.db, await listTenantIds(d.db)) }),
};
