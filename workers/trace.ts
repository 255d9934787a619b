import type { Context } from "hono";
import type { AppEnv } from "./services";

/** The request id and the edge's W3C trace (to the relay as stream parameters, to the origin as headers). */
export const traceOf = (c: Context<AppEnv>) => ({ traceparent: c.get("traceparent"), requestId: c.get("requestId") });
