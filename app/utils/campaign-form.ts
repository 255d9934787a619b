import { z } from "zod";
import { screeningActions } from "../../core/answered-by";
import { outboundCallLimits } from "../../core/outbound-call-input";
import { isTimeZone } from "../../core/timezone";

const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a time like 09:00")
  .transform((v) => Number(v.slice(0, 2)) * 60 + Number(v.slice(3)));
const count = (min: number, max: number) =>
  z.coerce.number().int().min(min, `At least ${min}`).max(max, `At most ${max}`);
const zone = z.string().trim().refine(isTimeZone, "Use a time zone name like America/New_York");

/** The new-campaign form, less the CSV file (read separately, line by line). */
export const campaignSchema = z
  .object({
    name: z.string().trim().min(1, "Name the campaign").max(100),
    agentId: z.uuid("Choose an agent"),
    fromNumberIds: z.array(z.uuid()).min(1, "Choose at least one number to call from"),
    windowStart: clock,
    windowEnd: clock,
    defaultTimezone: zone,
    callsPerMinute: count(1, 60),
    maxConcurrent: count(1, 50),
    maxAttempts: count(1, 5),
    retryDelayMinutes: count(1, 1440),
    machineDetection: z.enum(["off", "hangup", "leave_message"]).default("off"),
    voicemailMessage: z.string().trim().max(outboundCallLimits.voicemailMessage).default(""),
    screeningAction: z.enum(screeningActions).default("state_purpose"),
    screeningMessage: z.string().trim().max(outboundCallLimits.screeningMessage).default(""),
  })
  .refine((v) => v.windowStart < v.windowEnd, { message: "The window must end after it starts", path: ["windowEnd"] })
  .refine(
    (v) => (v.machineDetection !== "leave_message" && v.screeningAction !== "leave_message") || v.voicemailMessage,
    {
      message: "Write the message to leave",
      path: ["voicemailMessage"],
    },
  )
  .transform(({ windowStart, windowEnd, voicemailMessage, screeningMessage, ...rest }) => ({
    ...rest,
    windowStartMinute: windowStart,
    windowEndMinute: windowEnd,
    voicemailMessage: voicemailMessage || null,
    screeningMessage: screeningMessage || null,
  }));
