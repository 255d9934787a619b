import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import type Response from "twilio/lib/http/response";
import { providerErrors, providerLatency } from "./metrics";
import { SpanKind, traced } from "./tracing";

/** Paths name resources by SID; the metric label and span name keep the shape, not the SIDs. */
const shapeOf = (uri: string) => new URL(uri).pathname.replace(/\/(AC|CA|PN|RE|CF|MZ)[0-9a-f]{32}/gi, "/$1…");

/** Twilio's answers are small JSON documents; a slow one is an outage (docs/decisions/0027). */
export const TWILIO_LIMITS = { deadlineMs: 15_000, maxBytes: 1_000_000 };

/**
 * Twilio's REST client with a span per request (child of the active one) and the provider
 * latency and error metrics. Passed as `httpClient` wherever a Twilio client is made. Every
 * request has a total deadline (axios's `timeout` alone is a socket idle timer) and a cap on
 * the answer.
 */
export class TracedTwilioHttp extends twilio.RequestClient {
  constructor(limits = TWILIO_LIMITS) {
    super({ timeout: limits.deadlineMs });
    this.axios.interceptors.request.use((config) => {
      config.signal = AbortSignal.timeout(limits.deadlineMs);
      config.maxContentLength = limits.maxBytes;
      config.maxRedirects = 0;
      return config;
    });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const path = shapeOf(opts.uri);
    const started = performance.now();
    return traced(
      "twilio",
      `twilio ${opts.method.toUpperCase()} ${path}`,
      { "http.request.method": opts.method.toUpperCase(), "url.path": path, "bvrai.provider": "twilio" },
      async (span) => {
        try {
          const res = await super.request<TData>(opts);
          span.setAttribute("http.response.status_code", res.statusCode);
          providerLatency.observe({ provider: "twilio", vendor: "twilio" }, (performance.now() - started) / 1000);
          if (res.statusCode >= 500) providerErrors.inc({ provider: "twilio", vendor: "twilio", kind: "error" });
          return res;
        } catch (err) {
          providerErrors.inc({ provider: "twilio", vendor: "twilio", kind: "error" });
          throw err;
        }
      },
      { kind: SpanKind.CLIENT },
    );
  }
}
