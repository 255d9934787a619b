import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeRedirect } from "./safe-redirect";

const site = "https://app.bvrai.example";
/** Where a browser on the sign-in page goes for a Location of `to` (it drops tabs and newlines first). */
const browserGoesTo = (to: string) => new URL(to.replace(/[\t\n\r]/g, ""), `${site}/login/two-factor?redirectTo=x`);

// Pieces that have turned paths into other hosts somewhere: slashes both ways, controls browsers
// drop, encodings, schemes, userinfo, full-width and other look-alike characters.
const piece = fc.constantFrom(
  "/",
  "\\",
  "\t",
  "\n",
  "\r",
  " ",
  "\u0000",
  "\u000b",
  "\u007f",
  ".",
  "..",
  "@",
  ":",
  "?",
  "#",
  "%2f",
  "%5c",
  "%09",
  "evil.example",
  "http:",
  "javascript:",
  "\u3000",
  "\u2028",
  "\uff0f",
  "\u2215",
  "a",
  "agents",
);
const hostile = fc.array(piece, { maxLength: 12 }).map((p) => p.join(""));
const anyString = fc.oneof(
  hostile,
  fc.string({ unit: "binary", maxLength: 60 }),
  hostile.map((s) => `/${s}`),
);

describe("safeRedirect", () => {
  it("for any string: the fallback, or the input itself, a path that a browser resolves on this site", () => {
    fc.assert(
      fc.property(anyString, (to) => {
        const r = safeRedirect(to, "/fallback");
        if (r === "/fallback") return;
        expect(r).toBe(to);
        expect(r.startsWith("/") && !r.startsWith("//")).toBe(true);
        expect(browserGoesTo(r).origin).toBe(site);
      }),
      { numRuns: 5000 },
    );
  });

  it("keeps ordinary paths, queries and fragments", () => {
    fc.assert(
      fc.property(fc.webPath(), fc.webQueryParameters(), fc.webFragments(), (path, query, hash) => {
        const to = `/${path.replace(/^\/+/, "")}${query ? `?${query}` : ""}${hash ? `#${hash}` : ""}`;
        fc.pre(!to.startsWith("//"));
        expect(safeRedirect(to, "/fallback")).toBe(to);
      }),
    );
    expect(safeRedirect("/calls?page=2#top")).toBe("/calls?page=2#top");
    expect(safeRedirect("/invite/abc")).toBe("/invite/abc");
  });

  it("refuses the known ways out", () => {
    for (const to of [
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r\n/evil.example",
      "/\\evil.example",
      "\\/evil.example",
      "//evil.example",
      "/\\/evil.example",
      " //evil.example",
      "https://evil.example",
      "javascript:alert(1)",
      "evil.example",
      "",
      null,
      undefined,
    ]) {
      expect(safeRedirect(to, "/fallback")).toBe("/fallback");
    }
    // Dot segments stay paths on this site (the browser resolves them as a path, never a host).
    expect(browserGoesTo(safeRedirect("/a/../..//evil.example")).origin).toBe(site);
  });
});
