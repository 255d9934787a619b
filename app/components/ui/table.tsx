import { Link, useSearchParams } from "@remix-run/react";
import { cn } from "./cn";

/**
 * A table that scrolls sideways inside its frame on a narrow screen instead of widening the page;
 * the frame takes keyboard focus, so the arrow keys scroll it too (WCAG 2.1.1).
 */
export function DataTable({
  caption,
  className,
  children,
}: {
  caption: string;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <section
      aria-label={caption}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be reachable by keyboard
      tabIndex={0}
      className={cn(
        "overflow-x-auto rounded-lg border border-line bg-surface focus-visible:outline-2 focus-visible:outline-primary",
        className,
      )}
    >
      <table className="m-0 border-0">
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </section>
  );
}

/** Search params with some changed (null removes one), as a link target. */
export function withParams(params: URLSearchParams, changes: Record<string, string | null>) {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(changes)) {
    if (value == null || value === "") next.delete(key);
    else next.set(key, value);
  }
  const query = next.toString();
  return query ? `?${query}` : "?";
}

/**
 * A column heading that sorts by its column through the URL (`?sort=…&dir=…`), so a sorted list
 * can be shared and reloaded; sorting starts over from the first page.
 */
export function SortHeader({ column, label, className }: { column: string; label: string; className?: string }) {
  const [params] = useSearchParams();
  const active = params.get("sort") === column;
  const dir = active && params.get("dir") === "asc" ? "asc" : "desc";
  const nextDir = active && dir === "desc" ? "asc" : "desc";
  return (
    <th aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"} className={className}>
      <Link
        to={withParams(params, { sort: column, dir: nextDir, cursor: null })}
        className="text-inherit no-underline hover:text-fg"
        preventScrollReset
      >
        {label}
        <span aria-hidden="true">{active ? (dir === "asc" ? " ▲" : " ▼") : " ↕"}</span>
        <span className="sr-only">{`, sort ${nextDir === "asc" ? "ascending" : "descending"}`}</span>
      </Link>
    </th>
  );
}

/** "Next page" from an opaque cursor, and back to the first page; other params (filters, sort) stay. */
export function CursorPager({ nextCursor, label = "Next page" }: { nextCursor: string | null; label?: string }) {
  const [params] = useSearchParams();
  const paged = params.has("cursor");
  if (!nextCursor && !paged) return null;
  return (
    <nav aria-label="Pages" className="mt-3 flex items-center gap-4 text-sm">
      {paged && <Link to={withParams(params, { cursor: null })}>First page</Link>}
      {nextCursor && (
        <Link to={withParams(params, { cursor: nextCursor })} rel="next" data-testid="next-page">
          {label} →
        </Link>
      )}
    </nav>
  );
}
