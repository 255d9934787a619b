import { z } from "zod";
import { parseAllowedOrigin } from "../../core/widget";

const hex = z.string().regex(/^#[0-9a-f]{6}$/i, "Use a colour like #4f46e5");
const count = (max: number) => z.coerce.number().int().min(1, "At least 1").max(max, `At most ${max}`);

/** The widget form: origins one per line, each checked and normalised; limits within sane bounds. */
export const widgetSchema = z.object({
  allowedOrigins: z
    .string()
    .max(4000)
    .transform((text, ctx) => {
      const origins: string[] = [];
      for (const line of text.split(/[\n,]/).map((l) => l.trim()).filter(Boolean)) {
        const parsed = parseAllowedOrigin(line);
        if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
        else if (!origins.includes(parsed.origin)) origins.push(parsed.origin);
      }
      if (!origins.length) ctx.addIssue({ code: "custom", message: "Add at least one website origin, like https://www.example.com" });
      return origins;
    }),
  buttonText: z.string().trim().min(1, "The button needs a label").max(40),
  color: hex,
  textColor: hex,
  position: z.enum(["bottom-right", "bottom-left"]),
  greeting: z.string().trim().max(200).default(""),
  consentText: z.string().trim().max(500).default(""),
  maxConcurrentSessions: count(100),
  maxSessionSeconds: count(3600),
  callsPerVisitorPerHour: count(100),
});
export type WidgetForm = z.infer<typeof widgetSchema>;
