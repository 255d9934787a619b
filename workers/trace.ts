import type { Context } from "hono";
import { nextTraceparent } from "../core/edge/traceparent";
import type { AppEnv } from "./services";

/** The request id and the W3C trace to hand on (to the relay as stream parameters, to the origin as headers). */
export const traceOf = (c: Context<AppEnv>) => ({ traceparent: nextTraceparent(c.req.header("traceparent")), requestId: c.get("requestId") });
