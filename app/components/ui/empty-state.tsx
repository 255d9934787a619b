/** What an empty list says: what would be here, and the one thing to do next. */
export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: React.ReactNode;
  action?: React.ReactNode;
}) {
  return (
    <div
      className="rounded-lg border border-dashed border-line-strong bg-surface px-6 py-10 text-center"
      data-testid="empty-state"
    >
      <p className="m-0 font-semibold">{title}</p>
      {children && <p className="mx-auto mt-1 mb-0 max-w-md text-sm text-muted">{children}</p>}
      {action && <div className="mt-4 flex justify-center">{action}</div>}
    </div>
  );
}
