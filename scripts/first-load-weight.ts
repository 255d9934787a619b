/**
 * What a browser downloads, as gzipped JavaScript, on a first load of each portal route: Remix's
 * entry and its imports, then every matched route (root, the layouts, the route itself) with its
 * static imports: the files Remix's <Scripts /> puts in modulepreload links. Each file is counted
 * once however many modules import it. The input is the browser manifest the Remix build writes
 * (build/client/assets/manifest-*.js); with lazy route discovery the page inlines the part it
 * needs, so the manifest file itself is not fetched and not counted.
 */

export type ManifestRoute = {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  module: string;
  imports?: string[];
};
export type BrowserManifest = { entry: { module: string; imports: string[] }; routes: Record<string, ManifestRoute> };
/** A built file's size in bytes, as written and gzipped; `blank` when it holds no code at all. */
export type FileSize = { raw: number; gzip: number; blank: boolean };
export type RouteWeight = { id: string; url: string; files: string[]; gzip: number; raw: number };

/** The manifest module's text is `window.__remixManifest={…};`. */
export function parseManifestScript(text: string): BrowserManifest {
  const json = text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1);
  const manifest = JSON.parse(json) as BrowserManifest;
  if (!manifest.entry?.module || !manifest.routes) throw new Error("not a Remix browser manifest");
  return manifest;
}

/** The routes a URL of `id` matches, outermost first. */
export function routeChain(manifest: BrowserManifest, id: string): ManifestRoute[] {
  const chain: ManifestRoute[] = [];
  for (
    let r: ManifestRoute | undefined = manifest.routes[id];
    r;
    r = r.parentId ? manifest.routes[r.parentId] : undefined
  ) {
    if (chain.includes(r)) throw new Error(`route ${id}: its parents loop`);
    chain.unshift(r);
  }
  if (!chain.length) throw new Error(`no route ${id} in the manifest`);
  return chain;
}

/** The JS files a first load of `id` fetches, each once, in the order Remix preloads them. */
export function firstLoadFiles(manifest: BrowserManifest, id: string): string[] {
  const files = new Set([manifest.entry.module, ...manifest.entry.imports]);
  for (const r of routeChain(manifest, id)) for (const f of [r.module, ...(r.imports ?? [])]) files.add(f);
  return [...files];
}

/** The URL pattern of a route, joined from its parents' paths ("/" for the root's index). */
export function routeUrl(manifest: BrowserManifest, id: string): string {
  const parts = routeChain(manifest, id)
    .map((r) => r.path ?? "")
    .filter(Boolean);
  return `/${parts.join("/")}`;
}

/**
 * Every page's first-load weight, heaviest first. A page is a route no other route nests in (a
 * layout's files are a subset of each of its children's) whose module holds code: a blank module
 * is a resource, action-only or redirect-only route, which a browser never renders.
 */
export function firstLoadWeights(manifest: BrowserManifest, size: (file: string) => FileSize): RouteWeight[] {
  const routes = Object.values(manifest.routes);
  const layouts = new Set(routes.map((r) => r.parentId));
  return routes
    .filter((r) => !layouts.has(r.id) && !size(r.module).blank)
    .map((r) => {
      const files = firstLoadFiles(manifest, r.id);
      const sum = (k: "raw" | "gzip") => files.reduce((a, f) => a + size(f)[k], 0);
      return { id: r.id, url: routeUrl(manifest, r.id), files, gzip: sum("gzip"), raw: sum("raw") };
    })
    .sort((a, b) => b.gzip - a.gzip || a.id.localeCompare(b.id));
}

/**
 * Libraries that belong on the server only, each by a string its built code always carries (zod 4's
 * type names, drizzle's entity symbol). A page module that imports one for its action alone is fine:
 * Remix strips the action; a constant the page reads from a module that builds schemas is not.
 */
export const serverOnlyMarkers = { zod: '"$ZodType"', "drizzle-orm": '"drizzle:entityKind"' } as const;

export function serverOnlyLibraries(code: string): string[] {
  return Object.entries(serverOnlyMarkers)
    .filter(([, marker]) => code.includes(marker))
    .map(([library]) => library);
}
