import { CursorError, type SortSpec, sortOf } from "../../db/queries/keyset";

/** A list page's sort, direction and cursor from its URL (`?sort=&dir=&cursor=`); an unknown sort is the default. */
export function listQuery<S extends string>(params: URLSearchParams, sorts: Record<S, SortSpec>, fallback: S) {
  const { sort, dir } = sortOf(sorts, { sort: params.get("sort"), dir: params.get("dir") }, fallback);
  return { sort, dir, cursor: params.get("cursor") || undefined };
}

/** A list read whose cursor is tampered with, or from another sort order, is the client's mistake: a 400 that says so. */
export async function readingCursor<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof CursorError)
      throw new Response(`This page link is not valid (${err.message}). Open the list again from its first page.`, {
        status: 400,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    throw err;
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A `YYYY-MM-DD` field as the start of that UTC day (`plusDays` 1: the end of it), or undefined. */
export function utcDay(value: string | null, plusDays = 0) {
  if (!value || !DAY.test(value)) return undefined;
  const t = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(t) ? undefined : new Date(t + plusDays * 86_400_000);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A param that must be an id; anything else is no filter (it could match nothing of the tenant's anyway). */
export const idParam = (value: string | null) => (value && UUID.test(value) ? value : undefined);

/** The first value of `values` equal to the param, or undefined. */
export const oneOf = <T extends string>(values: readonly T[], value: string | null) => values.find((v) => v === value);
