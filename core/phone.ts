import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/**
 * A number someone typed or uploaded, checked against the real numbering plans (libphonenumber):
 * `+1 (415) 555-0100` becomes `+14155550100`; a number that cannot exist is refused with why.
 */
export function parsePhone(value: string, defaultCountry?: string): { e164: string } | { error: string } {
  const raw = value.trim();
  if (!raw) return { error: "A phone number is required." };
  const parsed = parsePhoneNumberFromString(raw, defaultCountry as Parameters<typeof parsePhoneNumberFromString>[1]);
  if (!parsed) return { error: `"${raw}" is not a phone number. Use international format, like +14155550100.` };
  if (!parsed.isValid()) return { error: `"${raw}" is not a valid number in ${parsed.country ?? "any country"}.` };
  return { e164: parsed.number };
}

/** The longest phone number a person may type into the do-not-call list, through the API or the portal. */
export const PHONE_INPUT_MAX = 40;

/** A number typed into the do-not-call list: longer than any number written out is refused before it is read. */
export const parseTypedPhone = (value: string) =>
  value.length > PHONE_INPUT_MAX
    ? { error: `A phone number is at most ${PHONE_INPUT_MAX} characters.` }
    : parsePhone(value);
