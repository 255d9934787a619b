import { markRecordingFailed } from "../../db/queries/recordings";
import { defineJob, type ScheduleDefinition } from "../jobs/definition";
import { resealWholeRecordings, storeRecording, sweepRecordings } from "./recordings.server";

/** A call's recording copied from Twilio to our store. Out of retries, the portal says so rather than showing "processing" for ever. */
export const storeRecordingJob = defineJob({
  queue: "recording.store",
  handle: async (d, job) => {
    const result = await storeRecording(d.recordings, job.data);
    d.log({
      msg: "recording.store handled",
      jobId: job.id,
      recordingId: job.data.recordingId,
      stored: result.stored,
      store: d.recordings.store.kind,
    });
  },
  batch: 4,
  pollSeconds: 2,
  retry: { limit: 10, delaySeconds: 30, backoff: true, expireSeconds: 300, deadLetter: true },
  onDead: {
    handle: (d, job) =>
      markRecordingFailed(d.db, {
        tenantId: job.data.tenantId,
        id: job.data.recordingId,
        error: "Could not copy the recording from Twilio after repeated tries.",
      }),
    pollSeconds: 30,
  },
});

/** Copies past their retention deleted, then a few recordings stored whole re-sealed in chunks. */
export const recordingSweepSchedule: ScheduleDefinition = {
  name: "recording sweep",
  everyMs: (c) => c.RECORDING_SWEEP_MINUTES * 60_000,
  run: async (d) => {
    await sweepRecordings(d.recordings, d.log);
    await resealWholeRecordings(d.recordings, d.log);
  },
};
