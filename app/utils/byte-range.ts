/**
 * A single HTTP byte range (RFC 9110 §14.1.2), as audio players ask for them to seek: `bytes=a-b`,
 * `bytes=a-` or `bytes=-n` within `size`; null when absent, "bad" when it cannot be served.
 */
export function byteRange(header: string | null, size: number): { start: number; end: number } | null | "bad" {
  const m = header && /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (!m[1] && !m[2])) return header ? "bad" : null;
  const start = m[1] ? Number(m[1]) : Math.max(0, size - Number(m[2]));
  const end = m[1] && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  return start <= end && start < size ? { start, end } : "bad";
}
