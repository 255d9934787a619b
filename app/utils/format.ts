/** m:ss, the way call durations read in every dashboard. */
export const formatDuration = (s: number | null) =>
  s == null ? "—" : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
/** A stored time as the portal shows it: UTC, so server and browser render the same text. */
export const formatDateTime = (iso: string) => `${new Date(iso).toLocaleString("en-US", { timeZone: "UTC" })} UTC`;
