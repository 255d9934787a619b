import type { LinksFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
} from "@remix-run/react";
import { Button } from "./components/ui/button";
import stylesheet from "./styles/app.css?url";
import { useNonce } from "./utils/nonce";

// An empty icon: browsers stop asking for /favicon.ico.
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "data:," },
];

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>BVRAI</title>
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status}: ${error.data}` : "Something went wrong.";
  const briefly = isRouteErrorResponse(error) && error.status === 503;
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12 text-center">
      <p className="m-0 text-sm font-semibold tracking-wide text-primary uppercase">
        {status === 404 ? "Not found" : `Error ${status}`}
      </p>
      <div className="mt-3 w-full max-w-md rounded-xl border border-line bg-surface p-8 shadow-sm">
        <h1 className="mb-2">{briefly ? "Briefly unavailable" : "Sorry"}</h1>
        <p className="m-0 text-muted">{message}</p>
        <div className="mt-6 flex flex-wrap justify-center gap-2">
          <Button asChild>
            <Link to="/home">Go to Home</Link>
          </Button>
        </div>
      </div>
    </main>
  );
}
