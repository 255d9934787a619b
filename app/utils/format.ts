/** m:ss, the way call durations read in every dashboard. */
export const formatDuration = (s: number | null) => (s == null ? "—" : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`);
