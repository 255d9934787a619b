import { type Column, type SQL, sql } from "drizzle-orm";

/**
 * Keyset paging for every list (portal and API): a page continues strictly after the last row
 * shown, by (sort key, id), so it is one index range and stays stable while rows arrive.
 * The cursor is opaque to clients: base64url JSON of the sort, the direction, the last key and id.
 */
export type SortDir = "asc" | "desc";
/** How a sort key is carried in a cursor (as text) and compared in SQL. */
export type KeyKind = "time" | "int" | "text";
/**
 * A sort: a plain column, so that under row-level security its comparisons stay index conditions
 * (a non-leakproof expression such as coalesce() is only a filter there). `nullable`: rows
 * without a value come after the others in descending order and before them in ascending order.
 */
export type SortSpec = { expr: Column; kind: KeyKind; nullable?: boolean };
/** The last row shown: its key (null: it had none) and id. */
export type Position = { key: string | null; id: string };

/** A cursor that is not one we gave out, or was given for another sort order. */
export class CursorError extends Error {
  override name = "CursorError";
}

export const maxPageSize = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const INT = /^-?\d{1,19}$/;
const keyShape: Record<KeyKind, (k: string) => boolean> = {
  // The date must be a real one (a JS Date rolls 30 February over; Postgres would refuse it: a 500).
  time: (k) => {
    const t = TIME.test(k) ? Date.parse(k) : Number.NaN;
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 19) === k.slice(0, 19);
  },
  int: (k) => INT.test(k) && BigInt(k) >= -(2n ** 63n) && BigInt(k) < 2n ** 63n,
  text: (k) => k.length <= 200 && !k.includes("\u0000"),
};

export function encodeCursor(sort: string, dir: SortDir, at: Position) {
  return Buffer.from(JSON.stringify({ s: sort, d: dir, k: at.key, id: at.id })).toString("base64url");
}

/** The position a cursor names for this sort order; throws CursorError for anything else. */
export function decodeCursor(
  cursor: string,
  sort: string,
  dir: SortDir,
  { kind, nullable = false }: Pick<SortSpec, "kind" | "nullable">,
): Position {
  let value: unknown;
  try {
    if (cursor.length > 400 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error();
    value = JSON.parse(Buffer.from(cursor, "base64url").toString());
  } catch {
    throw new CursorError("not a page cursor from this list");
  }
  const v = (value ?? {}) as Record<string, unknown>;
  // Cursors the API gave out before sorts existed: newest first by creation time.
  const legacy = typeof v.at === "string" && v.s === undefined;
  const [s, d, k] = legacy ? ["created", "desc", v.at] : [v.s, v.d, v.k];
  if (typeof s !== "string" || typeof d !== "string" || typeof v.id !== "string" || !UUID.test(v.id))
    throw new CursorError("not a page cursor from this list");
  if (s !== sort || d !== dir)
    throw new CursorError("this cursor belongs to another sort order; start from the first page");
  if (k === null ? !nullable : typeof k !== "string" || !keyShape[kind](k))
    throw new CursorError("not a page cursor from this list");
  return { key: k as string | null, id: v.id };
}

/** The sort key as the text a cursor carries (times to the microsecond: a JS Date keeps only milliseconds). */
export function keyText(spec: SortSpec): SQL<string | null> {
  return spec.kind === "time"
    ? sql<string | null>`to_char(${spec.expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
    : sql<string | null>`(${spec.expr})::text`;
}

const cast = { time: sql`timestamptz`, int: sql`bigint`, text: sql`text` };

/**
 * WHERE and ORDER BY for one page: rows after `after` in (key, id) order, both in `dir`. A
 * nullable key is two index ranges (with a value, without one), read in turn: `segments` in order.
 */
export function keyset(spec: SortSpec, id: Column, dir: SortDir, after?: Position) {
  const op = dir === "asc" ? sql`>` : sql`<`;
  const order = dir === "asc" ? sql`asc` : sql`desc`;
  const orderBy = [sql`${spec.expr} ${order}`, sql`${id} ${order}`];
  const past = (a: Position) => sql`(${spec.expr}, ${id}) ${op} (${a.key}::${cast[spec.kind]}, ${a.id}::uuid)`;
  if (!spec.nullable) return [{ where: after ? past(after) : undefined, orderBy }];
  const valued = { where: sql`${spec.expr} is not null`, orderBy };
  const none = { where: sql`${spec.expr} is null`, orderBy: [sql`${id} ${order}`] };
  const segments = dir === "desc" ? [valued, none] : [none, valued];
  if (!after) return segments;
  const at = after.key === null ? none : valued;
  const from = segments.indexOf(at);
  const rest =
    after.key === null
      ? sql`${spec.expr} is null and ${id} ${op} ${after.id}::uuid`
      : sql`${spec.expr} is not null and ${past(after)}`;
  return [{ ...at, where: rest }, ...segments.slice(from + 1)];
}

/** Reads the segments in turn until a page and one row more are read (the one more says a next page exists). */
export async function readSegments<R>(
  segments: ReturnType<typeof keyset>,
  size: number,
  read: (segment: ReturnType<typeof keyset>[number], limit: number) => Promise<R[]>,
) {
  const rows: R[] = [];
  for (const segment of segments) {
    if (rows.length > size) break;
    rows.push(...(await read(segment, size + 1 - rows.length)));
  }
  return rows;
}

/** Reads a page of `limit` + 1 rows' worth: the cursor of the next page, if there is one. */
export function nextCursor<R extends { id: string; sortKey: string | null }>(
  rows: R[],
  limit: number,
  sort: string,
  dir: SortDir,
) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    page,
    nextCursor: rows.length > limit && last ? encodeCursor(sort, dir, { key: last.sortKey, id: last.id }) : null,
  };
}

/** The sort and direction a request asks for, if the list offers that sort; otherwise its default. */
export function sortOf<S extends string>(
  sorts: Record<S, SortSpec>,
  params: { sort?: string | null; dir?: string | null },
  fallback: S,
): { sort: S; dir: SortDir } {
  const sort = (Object.keys(sorts) as S[]).find((s) => s === params.sort) ?? fallback;
  const dir: SortDir = params.dir === "asc" ? "asc" : params.dir === "desc" ? "desc" : "desc";
  return { sort, dir };
}

export const pageSize = (limit: number | undefined, fallback = 50) =>
  Math.min(Math.max(1, Math.trunc(limit ?? fallback)), maxPageSize);
