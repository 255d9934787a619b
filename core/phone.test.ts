import { describe, expect, it } from "vitest";
import { parsePhone } from "./phone";

describe("parsePhone", () => {
  it("normalises real numbers to E.164", () => {
    expect(parsePhone("+1 (415) 555-2671")).toEqual({ e164: "+14155552671" });
    expect(parsePhone("020 7946 0958", "GB")).toEqual({ e164: "+442079460958" });
    expect(parsePhone("+44 20 7946 0958")).toEqual({ e164: "+442079460958" });
  });
  it("refuses what cannot be dialled, saying why", () => {
    expect(parsePhone("")).toEqual({ error: "A phone number is required." });
    expect(parsePhone("hello")).toHaveProperty("error", expect.stringMatching(/is not a phone number/));
    expect(parsePhone("+1 415 555")).toHaveProperty("error");
    expect(parsePhone("+1 011 555 2671")).toHaveProperty("error", expect.stringMatching(/not a valid number/));
  });
});
