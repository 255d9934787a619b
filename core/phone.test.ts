import { describe, expect, it } from "vitest";
import { PHONE_INPUT_MAX, parsePhone, parseTypedPhone } from "./phone";

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
  it("reads a typed do-not-call number up to the one length limit the API and the portal share", () => {
    const spaced = (length: number) => `+1 415${" ".repeat(length - "+1 415555-2671".length)}555-2671`;
    expect(parsePhone(spaced(PHONE_INPUT_MAX + 1))).toEqual({ e164: "+14155552671" });
    expect(parseTypedPhone(spaced(PHONE_INPUT_MAX))).toEqual({ e164: "+14155552671" });
    expect(parseTypedPhone(spaced(PHONE_INPUT_MAX + 1))).toEqual({
      error: `A phone number is at most ${PHONE_INPUT_MAX} characters.`,
    });
  });
});
