import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { originTarget } from "./origin-target";

const ORIGIN = "https://origin.bvrai.test:8443";
/** How the runtime hands the worker a request target: the edge's own address before an origin-form target; an absolute one as it is. */
const asTheRuntimeParsesIt = (target: string) => {
  try {
    return new URL(target.startsWith("/") ? `https://edge.bvrai.test${target}` : target).href;
  } catch {
    return null; // the runtime refuses it before the worker runs
  }
};
/** The pieces of request targets that try to name another host, mixed with anything at all. */
const tricks = [
  "/",
  "//",
  "\\",
  "/\\",
  "\\\\",
  "%2F",
  "%2f",
  "%5C",
  "%252F",
  "@",
  ":",
  "\t",
  "\n",
  "\r",
  "%09",
  "%00",
  ".",
  "..",
  "%2e",
  "%2E%2e",
  "?",
  "#",
  "evil.example",
  "127.0.0.1:1",
  "[::1]",
  "http:",
  "https://",
  "//evil.example",
  " ",
  "ä",
  "%",
  "%zz",
  "\u2215",
  "\uff0f",
  "\uff3c",
  "\u3002",
];
const requestTarget = fc
  .array(fc.oneof(fc.constantFrom(...tricks), fc.string(), fc.webPath()), { maxLength: 12 })
  .map((parts) => parts.join(""));

describe("the origin proxy's target", () => {
  it("keeps an ordinary path and query as they are", () => {
    expect(originTarget(ORIGIN, "https://edge.bvrai.test/calls?page=2")?.href).toBe(`${ORIGIN}/calls?page=2`);
    expect(originTarget(ORIGIN, "https://edge.bvrai.test/api/v1/agents/?q=a%2Fb")?.href).toBe(
      `${ORIGIN}/api/v1/agents/?q=a%2Fb`,
    );
    expect(originTarget(ORIGIN, "https://edge.bvrai.test/a%2F%2Fb/c@d")?.href).toBe(`${ORIGIN}/a%2F%2Fb/c@d`);
    expect(originTarget(`${ORIGIN}/ignored/base`, "https://edge.bvrai.test/")?.href).toBe(`${ORIGIN}/`);
  });

  it("never leaves the origin for paths that name another host (each of these did)", () => {
    for (const target of [
      "//evil.example/x",
      "/\\evil.example/x",
      "///evil.example/x",
      "/..//evil.example/x",
      "/a/../..//evil.example/x",
      "/%2e%2e//evil.example/x",
    ]) {
      const url = asTheRuntimeParsesIt(target)!;
      expect(new URL(new URL(url).pathname, ORIGIN).host).toBe("evil.example"); // what the proxy used to do
      expect(originTarget(ORIGIN, url)?.href).toBe(`${ORIGIN}/evil.example/x`);
    }
    expect(originTarget(ORIGIN, "http://evil.example/x?y")?.href).toBe(`${ORIGIN}/x?y`); // absolute form: its host is ignored
    // Found by the property below: a path that turns into `//` only once it is set is refused, never thrown.
    expect(originTarget(ORIGIN, "evil.examplehttp:%2e\\\\")).toBeNull();
  });

  it("for any request target, the outgoing URL is on the origin, and the origin reads back the very path signed", () => {
    fc.assert(
      fc.property(requestTarget, fc.boolean(), (raw, absolute) => {
        const url = asTheRuntimeParsesIt(absolute ? `http://evil.example${raw}` : raw);
        if (!url) return;
        const target = originTarget(ORIGIN, url);
        if (target === null) return; // refused (400): nothing is forwarded anywhere
        const path = `${target!.pathname}${target!.search}`;
        expect(path.startsWith("/") && !path.startsWith("//")).toBe(true);
        // The origin's server builds its URL from the request line: the same host, the same path and query.
        const read = new URL(`http://${new URL(ORIGIN).host}${path}`);
        expect(`${read.host}${read.pathname}${read.search}`).toBe(`${new URL(ORIGIN).host}${path}`);
        expect(new URL(path, ORIGIN).origin).toBe(new URL(ORIGIN).origin);
      }),
      { numRuns: 3000 },
    );
  });
});
