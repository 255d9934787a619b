import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BrowserManifest,
  type FileSize,
  firstLoadFiles,
  firstLoadWeights,
  parseManifestScript,
  serverOnlyLibraries,
} from "../../scripts/first-load-weight";

/** A portal in miniature, shaped as build/client/assets/manifest-*.js is (Remix 2, lazy route discovery). */
const manifest: BrowserManifest = {
  entry: { module: "/assets/entry.client.js", imports: ["/assets/components.js"] },
  routes: {
    root: { id: "root", path: "", module: "/assets/root.js", imports: ["/assets/components.js"] },
    "routes/login": { id: "routes/login", parentId: "root", path: "login", module: "/assets/login.js", imports: [] },
    "routes/_portal": {
      id: "routes/_portal",
      parentId: "root",
      module: "/assets/_portal.js",
      imports: ["/assets/components.js", "/assets/format.js"],
    },
    "routes/_portal.usage": {
      id: "routes/_portal.usage",
      parentId: "routes/_portal",
      path: "usage",
      module: "/assets/usage.js",
      imports: ["/assets/components.js", "/assets/format.js", "/assets/charts.js"],
    },
    "routes/_portal.usage_.export": {
      id: "routes/_portal.usage_.export",
      parentId: "routes/_portal",
      path: "usage/export",
      module: "/assets/blank.js",
      imports: [],
    },
  },
};
const gzip: Record<string, number> = {
  "/assets/entry.client.js": 1_000,
  "/assets/components.js": 80_000,
  "/assets/root.js": 2_000,
  "/assets/login.js": 500,
  "/assets/_portal.js": 3_000,
  "/assets/format.js": 200,
  "/assets/usage.js": 4_000,
  "/assets/charts.js": 60_000,
  "/assets/blank.js": 20,
};
const size = (file: string): FileSize => ({
  raw: gzip[file]! * 3,
  gzip: gzip[file]!,
  blank: file === "/assets/blank.js",
});

describe("first-load weight", () => {
  it("counts entry, root, layouts and the route with their imports, each file once", () => {
    expect(firstLoadFiles(manifest, "routes/_portal.usage").sort()).toEqual(
      [
        "/assets/entry.client.js",
        "/assets/components.js",
        "/assets/root.js",
        "/assets/_portal.js",
        "/assets/format.js",
        "/assets/usage.js",
        "/assets/charts.js",
      ].sort(),
    );
    const usage = firstLoadWeights(manifest, size).find((w) => w.id === "routes/_portal.usage")!;
    expect(usage).toMatchObject({ url: "/usage", gzip: 1_000 + 80_000 + 2_000 + 3_000 + 200 + 4_000 + 60_000 });
    expect(usage.raw).toBe(usage.gzip * 3);
  });

  it("lists pages only, heaviest first: no layouts, no blank resource routes", () => {
    expect(firstLoadWeights(manifest, size).map((w) => [w.url, w.gzip])).toEqual([
      ["/usage", 150_200],
      ["/login", 83_500],
    ]);
  });

  it("reads the manifest module Remix writes, and rejects anything else", () => {
    expect(parseManifestScript(`window.__remixManifest=${JSON.stringify(manifest)};`)).toEqual(manifest);
    expect(() => parseManifestScript('window.x={"a":1};')).toThrow("not a Remix browser manifest");
  });

  it("a first load's total is the sum of its distinct files, however often they are imported", () => {
    const files = Object.keys(gzip).filter((f) => f !== "/assets/blank.js");
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...files), { maxLength: 20 }), (imports) => {
        const m: BrowserManifest = {
          ...manifest,
          routes: { ...manifest.routes, "routes/login": { ...manifest.routes["routes/login"]!, imports } },
        };
        const login = firstLoadWeights(m, size).find((w) => w.id === "routes/login")!;
        const distinct = new Set([
          "/assets/entry.client.js",
          "/assets/components.js",
          "/assets/root.js",
          "/assets/login.js",
          ...imports,
        ]);
        expect(login.gzip).toBe([...distinct].reduce((a, f) => a + gzip[f]!, 0));
      }),
    );
  });

  it("names a server-only library whose code reached a browser chunk", () => {
    expect(serverOnlyLibraries('const both=[Symbol.for("drizzle:entityKind"),h("$ZodType")]')).toEqual([
      "zod",
      "drizzle-orm",
    ]);
    expect(serverOnlyLibraries('const k=Symbol.for("drizzle:entityKind");')).toEqual(["drizzle-orm"]);
    expect(serverOnlyLibraries('$constructor("$ZodType",(e,t)=>{})')).toEqual(["zod"]);
    expect(serverOnlyLibraries('import{u as a}from"./components.js";a("zod")')).toEqual([]);
  });
});
