/** Whether this runtime knows the IANA time zone (America/Chicago, UTC); callers' local hours depend on it. */
export function isTimeZone(zone: string) {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
