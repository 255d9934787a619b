import { cn } from "./cn";

/** A placeholder block while something loads; hidden from screen readers, which hear aria-busy instead. */
export function Skeleton({ className }: { className?: string }) {
  return (
    <div
      aria-hidden="true"
      className={cn("h-4 animate-pulse rounded bg-sunken motion-reduce:animate-none", className)}
    />
  );
}
