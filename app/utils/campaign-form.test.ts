import { describe, expect, it } from "vitest";
import { campaignSchema } from "./campaign-form";

const base = {
  name: "Reminders",
  agentId: crypto.randomUUID(),
  fromNumberIds: [crypto.randomUUID()],
  windowStart: "09:00",
  windowEnd: "17:30",
  defaultTimezone: "America/Chicago",
  callsPerMinute: "10",
  maxConcurrent: "3",
  maxAttempts: "2",
  retryDelayMinutes: "60",
};

describe("the campaign form", () => {
  it("turns the window into minutes after midnight", () => {
    expect(campaignSchema.parse(base)).toMatchObject({
      windowStartMinute: 540,
      windowEndMinute: 1050,
      callsPerMinute: 10,
      voicemailMessage: null,
    });
  });
  it("refuses a window that ends before it starts, an unknown zone, and no number to call from", () => {
    const issues = (over: object) => campaignSchema.safeParse({ ...base, ...over }).error?.issues.map((i) => i.message);
    expect(issues({ windowEnd: "08:00" })).toEqual(["The window must end after it starts"]);
    expect(issues({ defaultTimezone: "Moon/Base" })).toEqual(["Use a time zone name like America/New_York"]);
    expect(issues({ fromNumberIds: [] })).toEqual(["Choose at least one number to call from"]);
  });
  it("states the purpose to a call-screening assistant by default, and needs the message to leave one", () => {
    expect(campaignSchema.parse({ ...base, screeningMessage: " " })).toMatchObject({
      screeningAction: "state_purpose",
      screeningMessage: null,
    });
    const left = campaignSchema.safeParse({ ...base, screeningAction: "leave_message" });
    expect(left.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [["voicemailMessage"], "Write the message to leave"],
    ]);
    expect(campaignSchema.safeParse({ ...base, screeningAction: "greet" }).success).toBe(false);
  });
});
