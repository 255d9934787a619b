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
