/**
 * Where the edge forwards a request: the configured origin's scheme, host and port, with the
 * request's path and query. The client's request target never chooses the host: the runtime has
 * already parsed it (absolute form, backslashes, dot segments, tabs, percent-encoding), and only
 * its pathname and search are kept. A run of slashes at the path's start would read as `//host`
 * to the next URL parser (ours, or the origin's), so it becomes one slash. Nothing is resolved
 * against the origin (`new URL(path, origin)` is what let `//host/x` change hosts).
 *
 * Null unless the result is on the origin, and the origin's server, reading the path and query
 * from the request line, will see that same URL: the construction rules both out; a second lock.
 */
export function originTarget(originUrl: string, requestUrl: string): URL | null {
  const origin = new URL(originUrl).origin;
  try {
    const incoming = new URL(requestUrl);
    const target = new URL(origin);
    target.pathname = `/${incoming.pathname.replace(/^[/\\]+/, "")}`;
    target.search = incoming.search;
    const asTheOriginReadsIt = new URL(`${target.pathname}${target.search}`, origin);
    return target.origin === origin && asTheOriginReadsIt.href === target.href ? target : null;
  } catch {
    // A path that only becomes `//…` once set (an opaque URL's `%2e\\`) does not parse back: refused.
    return null;
  }
}
