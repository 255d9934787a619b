import { PassThrough } from "node:stream";
import { type AppLoadContext, createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { serviceLogger } from "../core/telemetry";
import { reportError } from "../core/telemetry/sentry";
import { DATABASE_RETRY_AFTER_SECONDS } from "../db/connection-errors";
import { NonceContext } from "./utils/nonce";

const ABORT_DELAY = 5_000;

/** Remix's Node streaming render, with the CSP nonce handed to every script it emits. */
export default function handleRequest(
  request: Request,
  status: number,
  headers: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  const nonce = loadContext.cspNonce;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = new PassThrough();
      headers.set("Content-Type", "text/html");
      // A thrown response's headers stay behind (Remix keeps its status): the page of a database away (server/unavailable.ts) asks for a retry here.
      if (status === 503) headers.set("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS));
      resolve(new Response(createReadableStreamFromReadable(body), { headers, status }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        ...(waitForAll ? { onAllReady: ready } : { onShellReady: ready }),
        onShellError: reject,
        onError(error: unknown) {
          status = 500;
          if (shellRendered) serviceLogger("web").error({ err: error }, "render failed");
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/** Loader and action errors Remix catches (responses thrown on purpose are not errors). */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  serviceLogger("web").error({ err: error, path: new URL(request.url).pathname }, "request failed");
  reportError(error, { requestId: request.headers.get("x-request-id") ?? undefined });
}
