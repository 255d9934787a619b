import { describe, expect, it } from "vitest";
import { widgetSchema } from "./widget-form";

const base = {
  allowedOrigins: "https://www.example.com",
  buttonText: "Talk to us",
  color: "#4f46e5",
  textColor: "#ffffff",
  position: "bottom-right",
  maxConcurrentSessions: "5",
  maxSessionSeconds: "600",
  callsPerVisitorPerHour: "5",
};

describe("the widget form", () => {
  it("normalises origins, one per line, without repeats", () => {
    const w = widgetSchema.parse({
      ...base,
      allowedOrigins: "https://WWW.example.com/\nhttps://*.shop.example\n\nhttps://www.example.com",
    });
    expect(w.allowedOrigins).toEqual(["https://www.example.com", "https://*.shop.example"]);
    expect(w.maxConcurrentSessions).toBe(5);
  });

  it("says which origin is wrong, and that one is needed", () => {
    const bad = widgetSchema.safeParse({ ...base, allowedOrigins: "https://ok.example\nexample.com" });
    expect(bad.error?.issues[0]?.message).toMatch(/"example\.com" is not an origin/);
    expect(widgetSchema.safeParse({ ...base, allowedOrigins: " " }).error?.issues[0]?.message).toMatch(/at least one/);
  });

  it("refuses limits out of range and colours that are not colours", () => {
    expect(widgetSchema.safeParse({ ...base, maxConcurrentSessions: "0" }).success).toBe(false);
    expect(widgetSchema.safeParse({ ...base, maxSessionSeconds: "99999" }).success).toBe(false);
    expect(widgetSchema.safeParse({ ...base, color: "red" }).success).toBe(false);
  });
});
