import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import type Response from "twilio/lib/http/response";
import { providerErrors, providerLatency } from "./metrics";
import { SpanKind, traced } from "./tracing";

/** Paths name resources by SID; the metric label and span name keep the shape, not the SIDs. */
const shapeOf = (uri: string) => new URL(uri).pathname.replace(/\/(AC|CA|PN|RE|CF|MZ)[0-9a-f]{32}/gi, "/$1…");

/**
 * Twilio's REST client with a span per request (child of the active one) and the provider
 * latency and error metrics. Passed as `httpClient` wherever a Twilio client is made.
 */
export class TracedTwilioHttp extends twilio.RequestClient {
  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const path = shapeOf(opts.uri);
    const started = performance.now();
    return traced("twilio", `twilio ${opts.method.toUpperCase()} ${path}`, { "http.request.method": opts.method.toUpperCase(), "url.path": path, "bvrai.provider": "twilio" }, async (span) => {
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
    }, { kind: SpanKind.CLIENT });
  }
}
