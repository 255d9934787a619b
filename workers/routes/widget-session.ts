import { cors } from "hono/cors";
import { Hono } from "hono/tiny";
import { ipLimitKey } from "../../core/ip-limit-key";
import { parseJsonMessage } from "../../core/json";
import { retryAfterSeconds } from "../../core/rate-limit";
import { signStreamToken } from "../../core/stream-token";
import { originAllowed, publishableKeyPattern, WIDGET_TOKEN_TTL_SECONDS } from "../../core/widget";
import * as z from "../../core/zod";
import { publicAppearance, startWebCall, widgetForKey } from "../../db/queries/widgets";
import { errorResponse } from "../errors";
import { clientIp } from "../front-door";
import { limitedResponse, widgetLimiters } from "../rate-limit";
import { readBodyText } from "../request-body";
import type { AppEnv } from "../services";
import { logFields as log } from "../telemetry";

const keyParam = z.string().check(z.regex(publishableKeyPattern));

/**
 * What a widget's page calls: its look (GET /widget/config) and, on a click, a single-use session
 * token for the relay (POST /widget/session). Any page may ask; only an allowed origin is answered.
 * CORS reflects the origin so a refused page can still read why.
 */
export const widgetSession = new Hono<AppEnv>()
  .use(
    "*",
    cors({ origin: (origin) => origin, allowMethods: ["GET", "POST"], allowHeaders: ["content-type"], maxAge: 600 }),
  )
  .get("/config", async (c) => {
    const key = keyParam.safeParse(c.req.query("key"));
    if (!key.success) return errorResponse(c, "BAD_REQUEST", "The widget key is missing or malformed.");
    const widget = await widgetForKey(c.get("services").db(), key.data);
    if (!widget) return errorResponse(c, "NOT_FOUND", "No such widget.");
    if (!originAllowed(c.req.header("origin"), widget.allowedOrigins))
      return errorResponse(c, "FORBIDDEN", "This website is not allowed to use this widget.");
    return c.json(publicAppearance(widget), 200, { "cache-control": "no-store" });
  })
  .post("/session", async (c) => {
    const { config, db } = c.get("services");
    const requestId = c.get("requestId");
    const text = await readBodyText(c, 16 * 1024);
    if (text instanceof Response) return text;
    const body = parseJsonMessage(text);
    const key = keyParam.safeParse((body as { key?: unknown } | null)?.key);
    if (!key.success) return errorResponse(c, "BAD_REQUEST", 'Send {"key": "pk_…"} as JSON.');
    const origin = c.req.header("origin");
    // A visitor is their network: an IPv6 /64 is one visitor, however many addresses it uses.
    const ip = ipLimitKey(clientIp(c));
    const limits = widgetLimiters(config);
    for (const [name, check] of [
      ["widget-key", limits.perKey.limit(key.data)],
      ["widget-ip", limits.perIp.limit(ip)],
    ] as const) {
      const r = await check;
      if (!r.success)
        return limitedResponse(
          c,
          r,
          { name, windowSeconds: 60 },
          `Too many calls right now. Try again in ${retryAfterSeconds(r)} s.`,
        );
    }
    const widget = await widgetForKey(db(), key.data);
    if (!widget) return errorResponse(c, "NOT_FOUND", "No such widget.");
    if (!origin || !originAllowed(origin, widget.allowedOrigins)) {
      log({ level: "warn", msg: "widget origin refused", widgetId: widget.id, origin: origin ?? null, requestId });
      return errorResponse(c, "FORBIDDEN", "This website is not allowed to use this widget.");
    }
    const visitor = await limits.perVisitor(widget.callsPerVisitorPerHour).limit(`${widget.id}:${ip}`);
    if (!visitor.success)
      return limitedResponse(
        c,
        visitor,
        { name: "widget-visitor", windowSeconds: 3600 },
        `You have reached this site's call limit. Try again in ${retryAfterSeconds(visitor)} s.`,
      );
    const started = await startWebCall(db(), widget, { origin });
    if (started.kind === "busy")
      return errorResponse(c, "SERVICE_UNAVAILABLE", "All lines are busy. Please try again in a few minutes.");
    if (started.kind !== "connect") return errorResponse(c, "NOT_FOUND", "This widget has no agent.");
    const ttlSeconds = Math.min(config.STREAM_TOKEN_TTL_SECONDS, WIDGET_TOKEN_TTL_SECONDS);
    const token = await signStreamToken(
      config.STREAM_TOKEN_SECRET,
      {
        callId: started.callId,
        tenantId: started.tenantId,
        agentId: started.agentId,
        origin,
        maxSeconds: started.maxSessionSeconds,
      },
      ttlSeconds,
    );
    log({ level: "info", msg: "widget session issued", callId: started.callId, tenantId: started.tenantId, requestId });
    return c.json(
      {
        token,
        relayUrl: new URL("/widget", config.RELAY_PUBLIC_URL).toString(),
        maxSeconds: started.maxSessionSeconds,
        expiresIn: ttlSeconds,
      },
      201,
      { "cache-control": "no-store" },
    );
  });
