import type { Context } from "@opentelemetry/api";
import { providerErrors, providerLatency } from "../core/telemetry/metrics";
import { failSpan, SpanKind, tracer } from "../core/telemetry/tracing";
import { ProviderTimeoutError } from "./resilient";
import type { VoiceProviders } from "./types";

type Kind = "stt" | "llm" | "tts";
const vendorOf = (p: VoiceProviders, kind: Kind) => p.vendors?.[kind] ?? (p.sandbox ? "sandbox" : "unknown");

function start(p: VoiceProviders, kind: Kind, parent: Context) {
  const vendor = vendorOf(p, kind);
  const span = tracer("relay").startSpan(
    kind,
    { kind: SpanKind.CLIENT, attributes: { "bvrai.provider": kind, "bvrai.vendor": vendor } },
    parent,
  );
  const started = performance.now();
  let first = false;
  return {
    /** The first result: what the caller waits for. */
    firstItem() {
      if (first) return;
      first = true;
      const ms = performance.now() - started;
      providerLatency.observe({ provider: kind, vendor }, ms / 1000);
      span.setAttribute("bvrai.first_result_ms", Math.round(ms));
    },
    fail(err: unknown) {
      providerErrors.inc({ provider: kind, vendor, kind: err instanceof ProviderTimeoutError ? "timeout" : "error" });
      failSpan(span, err);
    },
    end: () => span.end(),
  };
}

async function* observed<T>(
  p: VoiceProviders,
  kind: Kind,
  parent: Context,
  make: () => AsyncIterable<T>,
): AsyncIterable<T> {
  const call = start(p, kind, parent);
  try {
    for await (const item of make()) {
      call.firstItem();
      yield item;
    }
  } catch (err) {
    if (!(err instanceof Error && err.name === "AbortError")) call.fail(err);
    throw err;
  } finally {
    call.end();
  }
}

/**
 * One call's providers, measured: a span per request (child of the call's span) and the
 * per-provider latency (to the first result) and error metrics. Speech-to-text is one long
 * stream per call: its span covers the connection, its latency is the time to connect.
 */
export function instrumented(p: VoiceProviders, parent: Context): VoiceProviders {
  return {
    ...p,
    async stt(events, opts) {
      const call = start(p, "stt", parent);
      try {
        const stream = await p.stt(
          {
            ...events,
            onError(err) {
              call.fail(err);
              events.onError(err);
            },
          },
          opts,
        );
        call.firstItem();
        return { send: (frame) => stream.send(frame), close: () => stream.close().finally(call.end) };
      } catch (err) {
        call.fail(err);
        call.end();
        throw err;
      }
    },
    llm: { stream: (messages, opts) => observed(p, "llm", parent, () => p.llm.stream(messages, opts)) },
    tts: { synthesize: (text, opts) => observed(p, "tts", parent, () => p.tts.synthesize(text, opts)) },
  };
}
