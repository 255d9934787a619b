import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * Every metric the Node processes export, in one registry (docs/ops/grafana-dashboard.json and
 * docs/ops/alerts.yml read these names; a test keeps them in step). Each process fills its own.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "bvrai_" });

const seconds = (fromMs: number[]) => fromMs.map((ms) => ms / 1000);
const registers = [registry];

export const activeCalls = new Gauge({
  name: "bvrai_active_calls",
  help: "Calls this relay carries now",
  labelNames: ["transport"],
  registers,
});
/** Frames are tallied in plain numbers, handed to the counter when it is read: a label lookup 50 times a second a call is not. */
export const frameTally = { in: 0, out: 0 };
export const mediaFrames = new Counter({
  name: "bvrai_media_frames_total",
  help: "Audio frames through the relay",
  labelNames: ["direction"],
  registers,
  collect() {
    this.inc({ direction: "in" }, frameTally.in);
    this.inc({ direction: "out" }, frameTally.out);
    frameTally.in = 0;
    frameTally.out = 0;
  },
});
export const frameLatency = new Histogram({
  name: "bvrai_frame_latency_seconds",
  help: "Time the relay holds an inbound audio frame: from the socket to speech-to-text (one frame in 16 is timed)",
  buckets: seconds([0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50]),
  registers,
});
export const providerLatency = new Histogram({
  name: "bvrai_provider_latency_seconds",
  help: "Provider calls: time to the first result (first transcript socket, token or audio chunk; whole request otherwise)",
  labelNames: ["provider", "vendor"],
  buckets: seconds([25, 50, 100, 200, 300, 500, 750, 1000, 1500, 2500, 5000, 10000]),
  registers,
});
export const providerErrors = new Counter({
  name: "bvrai_provider_errors_total",
  help: "Provider calls that failed or timed out",
  labelNames: ["provider", "vendor", "kind"],
  registers,
});
export const turnLatency = new Histogram({
  name: "bvrai_turn_latency_seconds",
  help: "Caller stops speaking → the agent's first audio leaves the relay",
  buckets: seconds([250, 500, 750, 1000, 1250, 1500, 2000, 3000, 5000]),
  registers,
});
export const firstAudio = new Histogram({
  name: "bvrai_first_audio_seconds",
  help: "A stream's start → the call's first agent audio leaves the relay (cache: the greeting was said from memory)",
  labelNames: ["transport", "cache"],
  buckets: seconds([25, 50, 100, 200, 300, 500, 750, 1000, 1500, 2500, 5000]),
  registers,
});
export const callsEnded = new Counter({
  name: "bvrai_calls_ended_total",
  help: "Calls closed by the relay, by reason",
  labelNames: ["reason"],
  registers,
});
export const callWriteRetries = new Counter({
  name: "bvrai_call_write_retries_total",
  help: "Call record writes retried because the database did not answer",
  registers,
});
export const rateLimitDecisions = new Counter({
  name: "bvrai_rate_limit_decisions_total",
  help: "Rate and concurrency limit decisions",
  labelNames: ["limiter", "decision"],
  registers,
});
export const jobQueueDepth = new Gauge({
  name: "bvrai_job_queue_depth",
  help: "Jobs waiting or running, per queue and state",
  labelNames: ["queue", "state"],
  registers,
});
export const jobQueueAge = new Gauge({
  name: "bvrai_job_queue_oldest_seconds",
  help: "Age of the oldest job waiting to run, per queue",
  labelNames: ["queue"],
  registers,
});
export const jobsHandled = new Counter({
  name: "bvrai_jobs_handled_total",
  help: "Jobs finished, per queue and outcome",
  labelNames: ["queue", "outcome"],
  registers,
});
export const jobDuration = new Histogram({
  name: "bvrai_job_duration_seconds",
  help: "Time to handle one job",
  labelNames: ["queue"],
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
  registers,
});
export const httpRequests = new Counter({
  name: "bvrai_http_requests_total",
  help: "Requests the origin answered, by route class and status class",
  labelNames: ["route", "status"],
  registers,
});
export const httpDuration = new Histogram({
  name: "bvrai_http_request_duration_seconds",
  help: "Origin request time",
  labelNames: ["route"],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

export const metricsText = () => registry.metrics();
export const metricNames = () => registry.getMetricsAsArray().map((m) => m.name);
