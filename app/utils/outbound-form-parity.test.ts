import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { outboundCallLimits as L } from "../../core/outbound-call-input";
import { OutboundInput } from "../api/routes/calls-create";
import { outboundSchema } from "./number-form";

type Body = {
  fromNumberId: string;
  to: string;
  agentId: string;
  variables: Record<string, string>;
  machineDetection: string;
  voicemailMessage: string | null;
  screeningAction: string;
  screeningMessage: string | null;
};

/** What a person would type into "Call someone" to place the same call as this API body. */
const asForm = (b: Body) => ({
  ...b,
  variables: Object.entries(b.variables)
    .map(([n, v]) => `${n} = ${v}`)
    .join("\n"),
  voicemailMessage: b.voicemailMessage ?? "",
  screeningMessage: b.screeningMessage ?? "",
});

const base: Body = {
  fromNumberId: crypto.randomUUID(),
  to: "+14155550100",
  agentId: crypto.randomUUID(),
  variables: {},
  machineDetection: "off",
  voicemailMessage: null,
  screeningAction: "state_purpose",
  screeningMessage: null,
};
const around = (max: number) =>
  fc.oneof(fc.constantFrom(0, 1, max, max + 1), fc.nat(max + 1)).map((n) => "a".repeat(n));
// Values as typed on one line: no line breaks, no spaces at either end (a line is trimmed).
const edges: Record<string, fc.Arbitrary<unknown>> = {
  fromNumberId: fc.constantFrom(crypto.randomUUID(), "not-a-number-id"),
  to: fc.oneof(fc.constantFrom("", " ", "+14155550100"), around(L.to)),
  agentId: fc.constantFrom(crypto.randomUUID(), ""),
  variables: fc.dictionary(
    fc.constantFrom("name", "order_1", "_x", "1st", "a-b"),
    fc.oneof(around(L.variableValue), fc.constantFrom("A-17 (rush)", "x = y")),
    { maxKeys: 3 },
  ),
  machineDetection: fc.constantFrom("off", "hangup", "leave_message", "maybe"),
  voicemailMessage: fc.option(fc.oneof(around(L.voicemailMessage), fc.constant(" ")), { nil: null }),
  screeningAction: fc.constantFrom("state_purpose", "leave_message", "hang_up", "greet"),
  screeningMessage: fc.option(fc.oneof(around(L.screeningMessage), fc.constant(" ")), { nil: null }),
};
const callBody = fc
  .uniqueArray(fc.constantFrom(...Object.keys(edges)), { minLength: 1, maxLength: 3 })
  .chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, edges[k]!]))))
  .map((changes) => ({ ...base, ...changes }) as Body);

describe("an outbound call through the API and through the portal's form", () => {
  it("is accepted by both or refused by both, and accepted, is the same call", () => {
    let accepted = 0;
    fc.assert(
      fc.property(callBody, (body) => {
        const api = OutboundInput.safeParse(body);
        const form = outboundSchema.safeParse(asForm(body));
        expect(form.success, JSON.stringify({ api: api.error?.issues[0], form: form.error?.issues[0] })).toBe(
          api.success,
        );
        if (api.success)
          expect(form.data).toEqual({
            ...api.data,
            voicemailMessage: api.data.voicemailMessage || null,
            screeningMessage: api.data.screeningMessage || null,
          });
        accepted += api.success ? 1 : 0;
      }),
      { numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(60);
    expect(accepted).toBeLessThan(340);
  });

  it("meets each limit at the same place", () => {
    const both = (change: Partial<Body>) => [
      OutboundInput.safeParse({ ...base, ...change }).success,
      outboundSchema.safeParse(asForm({ ...base, ...change })).success,
    ];
    const cases: [Partial<Body>, Partial<Body>][] = [
      [{ to: "1".repeat(L.to) }, { to: "1".repeat(L.to + 1) }],
      [{ variables: { name: "x".repeat(L.variableValue) } }, { variables: { name: "x".repeat(L.variableValue + 1) } }],
      [
        { machineDetection: "leave_message", voicemailMessage: "x".repeat(L.voicemailMessage) },
        { machineDetection: "leave_message", voicemailMessage: "x".repeat(L.voicemailMessage + 1) },
      ],
      [
        { machineDetection: "leave_message", voicemailMessage: "Call us back." },
        { machineDetection: "leave_message", voicemailMessage: null },
      ],
    ];
    for (const [at, over] of cases) {
      expect(both(at), JSON.stringify(at).slice(0, 80)).toEqual([true, true]);
      expect(both(over), JSON.stringify(over).slice(0, 80)).toEqual([false, false]);
    }
  });
});
