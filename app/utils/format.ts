/** m:ss, the way call durations read in every dashboard. */
export const formatDuration = (s: number | null) =>
  s == null ? "—" : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
/** A stored time as the portal shows it: UTC, so server and browser render the same text. */
export const formatDateTime = (iso: string) => `${new Date(iso).toLocaleString("en-US", { timeZone: "UTC" })} UTC`;
/** An offset from a call's start, one decimal; before the call was answered, a minus. */
export const formatOffset = (ms: number) => `${ms < 0 ? "−" : "+"}${(Math.abs(ms) / 1000).toFixed(1)}s`;
/** A playback position as m:ss. */
export const formatClock = (seconds: number) => formatDuration(Math.max(0, Math.floor(seconds || 0)));
