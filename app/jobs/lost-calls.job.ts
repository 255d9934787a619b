import type { ScheduleDefinition } from "./definition";
import { reapLostCalls } from "./lost-calls.server";

/** Calls whose relay went silent, closed (and so billed and announced). */
export const lostCallSweepSchedule: ScheduleDefinition = {
  name: "lost-call sweep",
  everyMs: (c) => c.LOST_CALL_SWEEP_SECONDS * 1000,
  run: async (d) => {
    const swept = await reapLostCalls(d.db);
    if (swept.found) d.log({ level: "warn", msg: "calls closed: their relay went silent", ...swept });
  },
};
