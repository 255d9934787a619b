import { z } from "zod";
import { webhookEventTypeNames } from "../../core/webhooks/events";

/** An endpoint as the portal and the API take it; no event chosen means every event. */
export const webhookUrl = z
  .string()
  .trim()
  .max(2000, "At most 2000 characters")
  .pipe(z.url("Enter a full URL, like https://example.com/hooks"));
export const webhookEvents = z
  .array(z.enum(webhookEventTypeNames, "Unknown event type"))
  .max(webhookEventTypeNames.length)
  .transform((e) => [...new Set(e)]);
export const endpointSchema = z.object({ url: webhookUrl, events: webhookEvents.prefault([]) });
export const endpointUpdateSchema = z.object({
  url: webhookUrl.optional(),
  events: webhookEvents.optional(),
  enabled: z.boolean().optional(),
});
