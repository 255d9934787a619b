/**
 * The request's id: the caller's `x-request-id` when it looks like one, else a new one. It is
 * echoed, logged, signed and forwarded, so an arbitrary value (30 KB, control characters) may not
 * pass: the origin refused the oversized header and the edge reported the origin unreachable.
 */
export const requestIdFrom = (incoming: string | null | undefined) =>
  incoming && /^[A-Za-z0-9._:-]{1,128}$/.test(incoming) ? incoming : crypto.randomUUID();
