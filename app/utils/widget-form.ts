import { z } from "zod";
import { widgetInput, widgetLimits } from "../../core/widget-input";
import { checkAs, type FormWording, listLines, numberField } from "./forms";

const counts = ["maxConcurrentSessions", "maxSessionSeconds", "callsPerVisitorPerHour"] as const;

/** The portal's words, where they differ from the API's (the limits are the API's: core/widget-input). */
const wording: FormWording = {
  message: ({ code, path }) => {
    const [field] = path as [string];
    if (field === "allowedOrigins" && code === "too_small")
      return "Add at least one website origin, like https://www.example.com";
    if (field === "allowedOrigins" && code === "too_big" && path.length === 1)
      return `At most ${widgetLimits.allowedOrigins} origins`;
    if (field === "allowedOrigins" && code === "too_big")
      return `An origin is at most ${widgetLimits.allowedOrigin} characters`;
    if (field === "buttonText" && code === "too_small") return "The button needs a label";
    if ((field === "color" || field === "textColor") && code === "invalid_format") return "Use a colour like #4f46e5";
    if ((counts as readonly string[]).includes(field) && code === "too_small") return "At least 1";
    if ((counts as readonly string[]).includes(field) && code === "too_big")
      return `At most ${widgetLimits[field as (typeof counts)[number]]}`;
    return undefined;
  },
  place: ({ path, message }) => ({ path: path.slice(0, 1), message }),
};

/** The widget form: origins one per line (or comma), mapped onto the widget's settings and checked by the same schema as the API's. */
export const widgetSchema = z.record(z.string(), z.unknown()).transform((form, ctx) => {
  const input = {
    ...form,
    allowedOrigins: listLines(form.allowedOrigins),
    ...Object.fromEntries(counts.map((c) => [c, numberField(form[c])])),
  };
  return checkAs(widgetInput, input, ctx, wording) ?? z.NEVER;
});
export type WidgetForm = z.infer<typeof widgetSchema>;
