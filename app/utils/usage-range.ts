import { z } from "zod";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use dates like 2026-11-01");
const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

/**
 * The dashboard's date range from the query string: `from` and `to` inclusive UTC days, by default
 * the last 30 days. Returned as [from, to) instants; a bad range says why and falls back to the default.
 */
export function usageRange(params: URLSearchParams, now = new Date()) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const fallback = { from: new Date(today - 29 * DAY_MS), to: new Date(today + DAY_MS) };
  const raw = { from: params.get("from") ?? undefined, to: params.get("to") ?? undefined };
  if (!raw.from && !raw.to) return { ...fallback, error: null };
  const parsed = z.object({ from: day, to: day }).safeParse(raw);
  if (!parsed.success) return { ...fallback, error: parsed.error.issues[0]!.message };
  const from = new Date(`${parsed.data.from}T00:00:00Z`);
  const to = new Date(new Date(`${parsed.data.to}T00:00:00Z`).getTime() + DAY_MS);
  const real = (d: Date, text: string) => !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
  if (!real(from, parsed.data.from) || !real(new Date(to.getTime() - DAY_MS), parsed.data.to))
    return { ...fallback, error: "Use real dates like 2026-11-01" };
  if (from >= to) return { ...fallback, error: "The start must be on or before the end" };
  if ((to.getTime() - from.getTime()) / DAY_MS > MAX_DAYS)
    return { ...fallback, error: `Choose at most ${MAX_DAYS} days` };
  return { from, to, error: null };
}

export const isoDay = (d: Date) => d.toISOString().slice(0, 10);
