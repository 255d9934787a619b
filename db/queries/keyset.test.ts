import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CursorError, decodeCursor, encodeCursor, type KeyKind, type SortDir } from "./keyset";

const time = fc
  .date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2999-12-31T23:59:59Z"), noInvalidDate: true })
  .chain((d) =>
    fc.integer({ min: 0, max: 999 }).map((us) => `${d.toISOString().slice(0, 23)}${String(us).padStart(3, "0")}Z`),
  );
const keys: Record<KeyKind, fc.Arbitrary<string>> = {
  time,
  int: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  text: fc.string({ maxLength: 200, unit: "grapheme" }).filter((s) => !s.includes("\u0000") && s.length <= 200),
};
const kind = fc.constantFrom<KeyKind>("time", "int", "text");
const dir = fc.constantFrom<SortDir>("asc", "desc");
const sort = fc.constantFrom("created", "duration", "cost", "name");
const position = kind.chain((k) =>
  fc.record({ kind: fc.constant(k), key: fc.option(keys[k], { nil: null }), id: fc.uuid() }),
);

describe("list cursors", () => {
  it("decode what they encode, for every sort, direction and key", () => {
    fc.assert(
      fc.property(sort, dir, position, (s, d, p) => {
        const cursor = encodeCursor(s, d, p);
        expect(decodeCursor(cursor, s, d, { kind: p.kind, nullable: true })).toEqual({ key: p.key, id: p.id });
      }),
    );
  });

  it("refuse a cursor given out for another sort or direction", () => {
    fc.assert(
      fc.property(sort, sort, dir, dir, position, (s1, s2, d1, d2, p) => {
        fc.pre(s1 !== s2 || d1 !== d2);
        const cursor = encodeCursor(s1, d1, p);
        expect(() => decodeCursor(cursor, s2, d2, { kind: p.kind, nullable: true })).toThrow(/another sort order/);
      }),
    );
  });

  it("refuse a null key where the sort has no rows without one", () => {
    const cursor = encodeCursor("created", "desc", { key: null, id: "00000000-0000-4000-8000-000000000000" });
    expect(() => decodeCursor(cursor, "created", "desc", { kind: "time" })).toThrow(CursorError);
  });

  it("read any string, or any tampering with a real cursor, as a cursor or a CursorError, nothing else", () => {
    const tampered = fc
      .tuple(sort, dir, position, fc.nat(), fc.string({ minLength: 1, maxLength: 3 }))
      .map(([s, d, p, at, insert]) => {
        const c = encodeCursor(s, d, p);
        const i = at % c.length;
        return { s, d, kind: p.kind, cursor: c.slice(0, i) + insert + c.slice(i + 1) };
      });
    const anything = fc.record({ s: sort, d: dir, kind, cursor: fc.string({ maxLength: 500 }) });
    fc.assert(
      fc.property(fc.oneof(tampered, anything), ({ s, d, kind, cursor }) => {
        try {
          const p = decodeCursor(cursor, s, d, { kind, nullable: true });
          expect(p.id).toMatch(/^[0-9a-f-]{36}$/i);
        } catch (err) {
          expect(err).toBeInstanceOf(CursorError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("keep reading the cursors the API gave out before lists had sorts, as newest first", () => {
    const old = Buffer.from(
      JSON.stringify({ at: "2026-01-02T03:04:05.123456Z", id: "00000000-0000-4000-8000-000000000000" }),
    ).toString("base64url");
    expect(decodeCursor(old, "created", "desc", { kind: "time" }).key).toBe("2026-01-02T03:04:05.123456Z");
    expect(() => decodeCursor(old, "duration", "desc", { kind: "int" })).toThrow(CursorError);
  });

  it("refuse keys of the wrong shape for the sort", () => {
    for (const [k, key] of [
      ["time", "2026-13-45T99:00:00.000000Z"],
      ["time", "yesterday"],
      ["time", "2026-02-30T00:00:00.000000Z"],
      ["time", "2026-02-28T24:00:00.000000Z"],
      ["int", "1e9"],
      ["int", String(2n ** 63n)],
    ] as const) {
      const cursor = encodeCursor("s", "asc", { key, id: "00000000-0000-4000-8000-000000000000" });
      expect(() => decodeCursor(cursor, "s", "asc", { kind: k })).toThrow(CursorError);
    }
  });
});
