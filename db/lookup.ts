/**
 * A lookup by an id that came from a URL or a form. An id Postgres refuses as data (not a uuid, a
 * NUL byte) names nothing, like an unknown one: null. Any other failure (a lost query, a row that will
 * not decrypt) is a server error, answered 500 and logged, never disguised as "not found".
 */
export function orNotFound<T>(lookup: Promise<T>): Promise<T | null> {
  return lookup.catch((err) => {
    if (isMalformedValue(err)) return null;
    throw err;
  });
}

/** Postgres refused a value as data (class 22: 22P02 not a uuid, 22021 a NUL byte), here or in the error's causes (drizzle wraps it). */
export function isMalformedValue(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && /^22[0-9A-Z]{3}$/.test(e.code)) return true;
  }
  return false;
}
