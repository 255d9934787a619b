import { Hono } from "hono";
import type { AppEnv } from "../services";

export const health = new Hono<AppEnv>().get("/", (c) =>
  c.json({ status: "ok", service: "edge", requestId: c.get("requestId") }),
);
