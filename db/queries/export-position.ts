import { type AnyColumn, type SQL, sql } from "drizzle-orm";

/**
 * Where an export stands: the last row's creation time to the microsecond (as text: a JS Date
 * keeps only milliseconds, and a millisecond cursor would repeat or skip rows) and its id.
 */
export type ExportPosition = { at: string; id: string };

/** The batch size of every export: one short transaction per this many rows. */
export const EXPORT_BATCH_ROWS = 1000;

export const positionText = (at: AnyColumn) =>
  sql<string>`to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Rows strictly after `p` in (created_at, id) order: the keyset that continues an export. */
export const afterPosition = (at: AnyColumn, id: AnyColumn, p: ExportPosition | undefined): SQL | undefined =>
  p ? sql`(${at}, ${id}) > (${p.at}::timestamptz, ${p.id}::uuid)` : undefined;
