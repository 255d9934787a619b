import { randomHex } from "../bytes";

const format = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * W3C Trace Context: the `traceparent` to send onwards. A valid incoming one keeps its trace id
 * and flags with a new parent (span) id for this hop; anything else starts a new trace.
 */
export function nextTraceparent(incoming: string | null | undefined) {
  const m = format.exec(incoming?.trim().toLowerCase() ?? "");
  const valid = m && !/^0+$/.test(m[1]!) && !/^0+$/.test(m[2]!);
  return valid ? `00-${m[1]}-${randomHex(8)}-${m[3]}` : `00-${randomHex(16)}-${randomHex(8)}-01`;
}

export const traceIdOf = (traceparent: string) => format.exec(traceparent)?.[1] ?? null;
