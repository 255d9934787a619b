import type { Logger } from "pino";
import { flushSentry, reportError } from "./sentry";

/**
 * What a server process (web, relay, jobs) does with an error nothing caught, the same with or
 * without Sentry (docs/decisions/0029).
 *
 * A rejected promise nobody awaited (a query lost with its connection, a library's floating
 * call) ended the work that started it, not the process: the other requests, calls and jobs it
 * carries are unharmed. It is logged as an error and reported, and the process keeps serving.
 *
 * An exception thrown out of a callback stopped code half-way, and what it held (a socket, a
 * counter, a lock) may be inconsistent: the process cannot be trusted to continue. It is logged
 * as fatal and reported, and the process exits with status 1 for its supervisor to restart it.
 */
export function installProcessPolicy(logger: Logger) {
  const exit = (code: number) => process.exit(code);
  process.on("unhandledRejection", (reason) => {
    logger.error({ err: reason }, "unhandled rejection: the work that started it failed; the process keeps serving");
    reportError(reason, { unhandled: "rejection" });
  });
  let exiting = false;
  process.on("uncaughtException", (err, origin) => {
    logger.fatal({ err, origin }, "uncaught exception: the process cannot continue and exits");
    if (exiting) return;
    exiting = true;
    reportError(err, { unhandled: "exception" });
    const bounded = setTimeout(() => exit(1), 2500);
    bounded.unref();
    void flushSentry().finally(() => exit(1));
  });
}
