import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isId, requireIdParam } from "./params.server";

const thrownBy = (fn: () => unknown) => {
  try {
    fn();
  } catch (thrown) {
    return thrown;
  }
  throw new Error("nothing thrown");
};

describe("requireIdParam", () => {
  it("gives back an id (any case) and a uuid Postgres takes", () => {
    const id = crypto.randomUUID();
    expect(requireIdParam({ agentId: id }, "agentId")).toBe(id);
    expect(requireIdParam({ agentId: id.toUpperCase() }, "agentId")).toBe(id.toUpperCase());
    fc.assert(fc.property(fc.uuid({ version: 4 }), (u) => requireIdParam({ id: u }, "id") === u));
  });

  it("answers 404 for a malformed id of any shape, or a missing one", async () => {
    const id = crypto.randomUUID();
    const shapes = [
      "",
      "not-a-uuid",
      "1",
      "' or 1=1 --",
      `${id}x`,
      ` ${id}`,
      `${id}\n`,
      id.replace(/-/g, ""),
      `{${id}}`,
      id.slice(0, -1),
      `${id.slice(0, -1)}g`,
      "\0",
      "\u{1F600}".repeat(1000),
      `${id}/../${id}`,
    ];
    for (const bad of shapes) {
      const answer = thrownBy(() => requireIdParam({ agentId: bad }, "agentId"));
      expect(answer).toBeInstanceOf(Response);
      expect((answer as Response).status).toBe(404);
    }
    expect((thrownBy(() => requireIdParam({}, "agentId")) as Response).status).toBe(404);
    expect(
      await (
        thrownBy(() =>
          requireIdParam({ agentId: "x" }, "agentId", () => new Response("Agent not found", { status: 404 })),
        ) as Response
      ).text(),
    ).toBe("Agent not found");
  });

  it("refuses every string that is not a uuid's 36 characters of hex and dashes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (s) => {
        fc.pre(!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s));
        expect(isId(s)).toBe(false);
        expect((thrownBy(() => requireIdParam({ id: s }, "id")) as Response).status).toBe(404);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses a uuid with any one character changed to one outside hex", () => {
    fc.assert(
      fc.property(
        fc.uuid({ version: 4 }),
        fc.nat(35),
        fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
        (u, at, ch) => {
          fc.pre(!/[0-9a-f]/i.test(ch) && u[at] !== "-");
          expect(isId(u.slice(0, at) + ch + u.slice(at + 1))).toBe(false);
        },
      ),
    );
  });
});
