import { z } from "zod";
import { parseAllowedOrigin } from "./widget";
import { widgetLimits } from "./widget-limits";

export { widgetDefaults, widgetLimits } from "./widget-limits";

const L = widgetLimits;

const hex = z.string().regex(/^#[0-9a-f]{6}$/i);
const count = (max: number) => z.number().int().min(1).max(max);

/** The allow-list: each entry checked and normalised (core/widget), repeats dropped; a bad entry names itself. */
const allowedOrigins = z
  .array(z.string().max(L.allowedOrigin))
  .min(1)
  .max(L.allowedOrigins)
  .transform((entries, ctx) => {
    const origins: string[] = [];
    for (const entry of entries) {
      const parsed = parseAllowedOrigin(entry);
      if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error, input: entry });
      else if (!origins.includes(parsed.origin)) origins.push(parsed.origin);
    }
    return origins;
  });

/** A widget's settings, with their limits: the API's body, and what the portal's form maps its fields onto (app/utils/widget-form). */
export const widgetSettings = {
  allowedOrigins,
  buttonText: z.string().trim().min(1).max(L.buttonText),
  color: hex,
  textColor: hex,
  position: z.enum(["bottom-right", "bottom-left"]),
  greeting: z.string().trim().max(L.greeting).default(""),
  consentText: z.string().trim().max(L.consentText).default(""),
  maxConcurrentSessions: count(L.maxConcurrentSessions),
  maxSessionSeconds: count(L.maxSessionSeconds),
  callsPerVisitorPerHour: count(L.callsPerVisitorPerHour),
};
export const widgetInput = z.object(widgetSettings);
export type WidgetInput = z.output<typeof widgetInput>;
