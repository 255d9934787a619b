import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { AttemptOutcome } from "../../db/queries/webhook-deliveries";
import type { Destination } from "./destination.server";

const RESPONSE_KEPT_BYTES = 2048;
export const SEND_TIMEOUT_MS = 10_000;

/**
 * POSTs one delivery to the address already checked (never a second DNS lookup); redirects are
 * not followed, so a 3xx cannot lead elsewhere. Any 2xx is success; the answer's first bytes are
 * kept for the delivery log.
 */
export function postWebhook(dest: Destination, headers: Record<string, string>, body: string, timeoutMs = SEND_TIMEOUT_MS): Promise<AttemptOutcome> {
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: dest.address, family: dest.family }]);
    else callback(null, dest.address, dest.family);
  };
  const client = dest.url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    const req = client.request(
      dest.url,
      { method: "POST", lookup: pinned, timeout: timeoutMs, headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "user-agent": "BVRAI-Webhooks/1.0", ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on("data", (chunk: Buffer) => {
          if (kept < RESPONSE_KEPT_BYTES) chunks.push(chunk.subarray(0, RESPONSE_KEPT_BYTES - kept));
          kept += chunk.length;
        });
        res.on("end", () => {
          const code = res.statusCode ?? 0;
          const ok = code >= 200 && code < 300;
          resolve({ ok, statusCode: code, error: ok ? null : `HTTP ${code}`, response: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", (err) => resolve({ ok: false, statusCode: res.statusCode ?? null, error: err.message, response: null }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on("error", (err) => resolve({ ok: false, statusCode: null, error: err.message, response: null }));
    req.end(body);
  });
}
