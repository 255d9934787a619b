import { lookup } from "node:dns/promises";
import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { whyRefused } from "./addresses";
import { type Limits, OutboundError, timedOut } from "./bounded-fetch";

/**
 * Requests to tenant-chosen URLs (webhooks, HTTP tools): the one SSRF guard (docs/decisions/0027).
 * Node only (node:http, node:dns), like core/telemetry: the edge never calls a tenant's URL.
 */

/** Addresses let through anyway: `"any"` (development's local receivers) or exact ones (tests). */
export type Allow = "any" | readonly string[] | undefined;
export type Pinned = { url: URL; address: string; family: 4 | 6 };

/**
 * Resolves the URL's host once and refuses it when any of its addresses may not be reached. The
 * request then connects to the address checked here, never to a second lookup, so a DNS answer
 * that changes in between (rebinding) cannot slip past.
 */
export async function resolvePublic(raw: string, allow: Allow, signal?: AbortSignal): Promise<Pinned> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundError("refused", "is not a valid URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new OutboundError("refused", "must be an http or https URL");
  if (url.username || url.password) throw new OutboundError("refused", "must not carry a user name or password");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const unresolvable = () => new OutboundError("unresolvable", `${host} does not resolve`, "the host does not resolve");
  const aborted = new Promise<never>((_, reject) => {
    if (signal?.aborted) reject(signal.reason);
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => undefined);
  const addresses = await Promise.race([
    lookup(host, { all: true, verbatim: true }).catch(() => Promise.reject(unresolvable())),
    aborted,
  ]);
  const first = addresses[0];
  if (!first) throw unresolvable();
  for (const { address } of addresses) {
    const reason = whyRefused(address);
    if (reason && allow !== "any" && !allow?.includes(address))
      throw new OutboundError(
        "refused",
        `${host} resolves to ${address}, a ${reason} address`,
        `the host resolves to ${address}, a ${reason} address`,
      );
  }
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

export type GuardedResponse = { status: number; headers: IncomingHttpHeaders; body: Buffer; truncated: boolean };

/**
 * One request to a tenant's URL under `limits`: resolved and checked once, connected to that
 * address (Host header and TLS name stay the URL's), on a fresh connection, redirects not
 * followed. Past `maxBytes` the answer's first bytes are kept and the connection closed.
 */
export async function guardedRequest(
  raw: string,
  req: { method: "GET" | "POST"; headers: Record<string, string>; body?: string; allow?: Allow },
  limits: Limits,
): Promise<GuardedResponse> {
  const started = Date.now();
  const deadline = AbortSignal.timeout(limits.deadlineMs);
  const dest = await resolvePublic(raw, req.allow, deadline).catch((err) => {
    throw deadline.aborted ? timedOut(limits.deadlineMs) : err;
  });
  return send(dest, req, limits, limits.deadlineMs - (Date.now() - started));
}

function send(
  dest: Pinned,
  req: { method: string; headers: Record<string, string>; body?: string },
  limits: Limits,
  remainingMs: number,
) {
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all)
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: dest.address, family: dest.family },
      ]);
    else callback(null, dest.address, dest.family);
  };
  const client = dest.url.protocol === "https:" ? https : http;
  const headers =
    req.body === undefined ? req.headers : { ...req.headers, "content-length": String(Buffer.byteLength(req.body)) };
  return new Promise<GuardedResponse>((resolve, reject) => {
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done();
      request.destroy();
    };
    const fail = (err: Error) =>
      settle(() => reject(err instanceof OutboundError ? err : new OutboundError("network", err.message)));
    const timer = setTimeout(() => fail(timedOut(limits.deadlineMs)), Math.max(0, remainingMs));
    const request = client.request(dest.url, { method: req.method, headers, lookup: pinned, agent: false }, (res) => {
      const kept: Buffer[] = [];
      let size = 0;
      const answer = (truncated: boolean) =>
        settle(() =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(kept), truncated }),
        );
      res.on("data", (chunk: Buffer) => {
        const room = limits.maxBytes - size;
        kept.push(chunk.subarray(0, room));
        size += Math.min(room, chunk.length);
        if (chunk.length > room) answer(true);
      });
      res.on("end", () => answer(false));
      res.on("error", fail);
      res.on("close", () => fail(new OutboundError("network", "the connection closed before the answer ended")));
    });
    request.on("error", fail);
    request.end(req.body);
  });
}
