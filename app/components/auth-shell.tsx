import { Link } from "@remix-run/react";

/**
 * The frame of the signed-out pages (log in, sign up, password reset, invitation…): the product's
 * name, one card with the form, and the links under it.
 */
export function AuthShell({
  title,
  description,
  footer,
  children,
}: {
  title: React.ReactNode;
  description?: React.ReactNode;
  footer?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <main className="flex min-h-screen flex-col items-center px-4 py-12 sm:py-20">
      <Link to="/" className="mb-6 text-xl font-bold tracking-tight text-fg no-underline hover:no-underline">
        <span aria-hidden="true" className="mr-2 inline-block size-3 rounded-full bg-primary" />
        BVRAI
      </Link>
      <div className="w-full max-w-sm rounded-xl border border-line bg-surface p-6 shadow-sm sm:p-8">
        <h1 className="mb-1 text-xl">{title}</h1>
        {description && <p className="mt-0 mb-4 text-sm text-muted">{description}</p>}
        {children}
      </div>
      {footer && <div className="mt-6 text-center text-sm text-muted">{footer}</div>}
    </main>
  );
}
