import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { widgetLimits as L, widgetDefaults } from "../../core/widget-input";
import { WidgetInputSchema } from "../api/schemas";
import { widgetSchema } from "./widget-form";

type Body = Record<string, unknown> & { allowedOrigins: string[] };
const counts = ["maxConcurrentSessions", "maxSessionSeconds", "callsPerVisitorPerHour"] as const;

/** What a person would type into the portal's widget form to send the same widget as this API body. */
const asForm = (b: Body) => ({
  ...b,
  allowedOrigins: b.allowedOrigins.join("\n"),
  ...Object.fromEntries(counts.map((c) => [c, String(b[c])])),
});

const base: Body = { ...widgetDefaults, allowedOrigins: ["https://www.example.com"] };

const around = (max: number) =>
  fc
    .oneof(fc.constantFrom(0, 1, max - 1, max, max + 1), fc.nat(max + 1))
    .chain((n) => fc.tuple(fc.constant("a".repeat(n)), fc.boolean()).map(([t, pad]) => (pad ? `  ${t} ` : t)));
/** Origins as a person types them, one a line: good and bad ones, repeats, and long ones around the length limit. */
const origin = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      "https://www.example.com",
      "https://*.example.com",
      "http://localhost:3000",
      "https://WWW.example.com/",
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("example.com", "https://*.com", "ftp://x.example", "https://a.example/path"),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(-1, 0, 1)
      .map((d) => `https://${"a".repeat(L.allowedOrigin - "https://.com".length + d)}.com`),
  },
);
const count = (max: number) =>
  fc.oneof(fc.constantFrom(0, 1, max, max + 1, 1.5, -1), fc.integer({ min: -1, max: max + 1 }));
const edges: Record<string, fc.Arbitrary<unknown>> = {
  allowedOrigins: fc
    .oneof(fc.constantFrom(0, 1, L.allowedOrigins, L.allowedOrigins + 1), fc.nat(L.allowedOrigins + 1))
    .chain((n) => fc.array(origin, { minLength: n, maxLength: n })),
  buttonText: around(L.buttonText),
  color: fc.constantFrom("#4f46e5", "#ABCDEF", "red", "#12345", "#1234567"),
  textColor: fc.constantFrom("#ffffff", "#fff", "ffffff"),
  position: fc.constantFrom("bottom-right", "bottom-left", "top-left"),
  greeting: around(L.greeting),
  consentText: around(L.consentText),
  maxConcurrentSessions: count(L.maxConcurrentSessions),
  maxSessionSeconds: count(L.maxSessionSeconds),
  callsPerVisitorPerHour: count(L.callsPerVisitorPerHour),
};
// A sound widget with one to three settings taken to (or past) their limits.
const widgetBody = fc
  .uniqueArray(fc.constantFrom(...Object.keys(edges)), { minLength: 1, maxLength: 3 })
  .chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, edges[k]!]))))
  .map((changes) => ({ ...base, ...changes }) as Body);

describe("a widget through the API and through the portal's form", () => {
  it("is accepted by both or refused by both, and accepted, is the same widget", () => {
    let accepted = 0;
    fc.assert(
      fc.property(widgetBody, (body) => {
        const api = WidgetInputSchema.safeParse(body);
        const form = widgetSchema.safeParse(asForm(body));
        expect(form.success, JSON.stringify({ api: api.error?.issues[0], form: form.error?.issues[0] })).toBe(
          api.success,
        );
        if (api.success) expect(form.data).toEqual(api.data);
        accepted += api.success ? 1 : 0;
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(75);
    expect(accepted).toBeLessThan(425);
  });

  it("meets each limit at the same place", () => {
    const both = (change: Partial<Body>) => [
      WidgetInputSchema.safeParse({ ...base, ...change }).success,
      widgetSchema.safeParse(asForm({ ...base, ...change })).success,
    ];
    const host = (n: number) => `https://${"a".repeat(n - "https://.com".length)}.com`;
    const cases: [Partial<Body>, Partial<Body>][] = [
      [
        { allowedOrigins: Array.from({ length: L.allowedOrigins }, (_, i) => `https://s${i}.example.com`) },
        { allowedOrigins: Array.from({ length: L.allowedOrigins + 1 }, (_, i) => `https://s${i}.example.com`) },
      ],
      [{ allowedOrigins: [host(L.allowedOrigin)] }, { allowedOrigins: [host(L.allowedOrigin + 1)] }],
      [{ buttonText: "x".repeat(L.buttonText) }, { buttonText: "x".repeat(L.buttonText + 1) }],
      [{ greeting: "x".repeat(L.greeting) }, { greeting: "x".repeat(L.greeting + 1) }],
      [{ consentText: "x".repeat(L.consentText) }, { consentText: "x".repeat(L.consentText + 1) }],
      ...counts.flatMap((c): [Partial<Body>, Partial<Body>][] => [
        [{ [c]: 1 }, { [c]: 0 }],
        [{ [c]: L[c] }, { [c]: L[c] + 1 }],
      ]),
    ];
    for (const [at, over] of cases) {
      expect(both(at), JSON.stringify(at).slice(0, 80)).toEqual([true, true]);
      expect(both(over), JSON.stringify(over).slice(0, 80)).toEqual([false, false]);
    }
  });

  it("shows the portal's own words", () => {
    const issues = (change: Record<string, unknown>) =>
      widgetSchema
        .safeParse({ ...asForm(base), ...change })
        .error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ allowedOrigins: "\n" })).toEqual([
      "allowedOrigins: Add at least one website origin, like https://www.example.com",
    ]);
    expect(
      issues({
        allowedOrigins: Array.from({ length: L.allowedOrigins + 1 }, (_, i) => `https://s${i}.example.com`).join("\n"),
      }),
    ).toEqual([`allowedOrigins: At most ${L.allowedOrigins} origins`]);
    expect(issues({ buttonText: " ", color: "red", maxSessionSeconds: String(L.maxSessionSeconds + 1) })).toEqual([
      "buttonText: The button needs a label",
      "color: Use a colour like #4f46e5",
      `maxSessionSeconds: At most ${L.maxSessionSeconds}`,
    ]);
  });
});
