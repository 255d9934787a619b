import { Hono } from "hono/tiny";
import { widgetScript } from "../../widget/bundle.generated";
import type { AppEnv } from "../services";

/** The embed script itself: public, cacheable for an hour, loadable from any page. */
export const widgetJs = new Hono<AppEnv>().get("/", (c) =>
  c.body(widgetScript, 200, {
    "content-type": "text/javascript; charset=utf-8",
    "cache-control": "public, max-age=3600",
    "access-control-allow-origin": "*",
    "cross-origin-resource-policy": "cross-origin",
  }),
);
