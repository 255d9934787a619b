import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** `layout`: a parent of other routes (its loader runs, and is tested, with each child's URL). */
export type DiscoveredRoute = {
  file: string;
  path: string;
  params: string[];
  loader: boolean;
  action: boolean;
  intents: string[];
  layout: boolean;
  /** Its loader answers Server-Sent Events: the response does not end while the subject is live. */
  stream: boolean;
};

/**
 * Every route module under app/routes, read the way Remix's flat-routes convention reads them, so
 * a test that walks this list covers a route the moment it is added.
 */
export function discoverRoutes(dir = "app/routes"): DiscoveredRoute[] {
  const files = readdirSync(dir).filter((f) => /\.(tsx|ts)$/.test(f) && !/\.(server|test)\./.test(f));
  return files.map((file) => {
    const base = file.replace(/\.(tsx|ts)$/, "");
    const source = readFileSync(join(dir, file), "utf8");
    const segments = file
      .replace(/\.(tsx|ts)$/, "")
      .split(/(?<!\[)\.(?![^[]*\])/)
      .filter((s) => s !== "_index" && !s.startsWith("_"))
      .map((s) => s.replace(/_$/, "").replace(/\[(.*?)\]/g, "$1"));
    const params = segments.filter((s) => s.startsWith("$")).map((s) => s.slice(1));
    return {
      file,
      path: `/${segments.map((s) => (s.startsWith("$") ? `:${s.slice(1)}` : s)).join("/")}`,
      params,
      loader: /export (async )?function loader|export const loader/.test(source),
      action: /export (async )?function action|export const action/.test(source),
      intents: [...source.matchAll(/name="intent" value="([^"]+)"/g)].map((m) => m[1]!),
      layout: files.some((f) => f !== file && f.startsWith(`${base}.`)),
      stream: source.includes("text/event-stream"),
    };
  });
}

export const fillPath = (path: string, values: Record<string, string>) =>
  path.replace(/:(\w+)/g, (_, p: string) => values[p] ?? `:${p}`);
