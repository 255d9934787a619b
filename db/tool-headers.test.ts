import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AgentTool } from "../core/agent-tools";
import { createPiiCipher, generatePiiKey } from "../core/crypto/pii";
import { HEADER_MASK, maskToolHeaders, openToolHeaders, resealToolHeaders, sealToolHeaders } from "./tool-headers";

const pii = createPiiCipher({ keys: generatePiiKey("t1"), blindIndexKey: "bi" });
const tenantId = "00000000-0000-4000-8000-000000000001";
const headerName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/);
const headers = fc.dictionary(
  headerName,
  fc.string({ maxLength: 200 }).filter((v) => v !== HEADER_MASK),
  { maxKeys: 5 },
);
const tool = (h: Record<string, string>, url = "https://api.example.com/x", name = "lookup"): AgentTool => ({
  type: "http",
  name,
  description: "d",
  parameters: {},
  url,
  method: "POST",
  headers: h,
});
const sealOk = async (tools: AgentTool[], stored?: AgentTool[]) => {
  const r = await sealToolHeaders(pii, { tenantId, tools, stored });
  if ("problem" in r) throw new Error(r.problem);
  return r.tools;
};
const headersOf = (tools: AgentTool[]) => tools.map((t) => (t.type === "http" ? t.headers : undefined));

describe("HTTP tools' header values", () => {
  it("sealed, hold no value in clear, and open to exactly what was entered", async () => {
    await fc.assert(
      fc.asyncProperty(headers, async (h) => {
        const sealed = await sealOk([tool(h), { type: "end_call" }]);
        for (const v of Object.values(headersOf(sealed)[0]!)) expect(v).toMatch(/^pii1\.t1\./);
        expect(headersOf(await openToolHeaders(pii, { tenantId, tools: sealed }))).toEqual([h, undefined]);
      }),
      { numRuns: 50 },
    );
  });

  it("masked: every header named, no value shown; sent back masked to the same origin, the saved ciphertexts are kept", async () => {
    await fc.assert(
      fc.asyncProperty(
        headers,
        fc.constantFrom("https://api.example.com/other-path", "https://api.example.com/x?q=1"),
        async (h, sameOrigin) => {
          const sealed = await sealOk([tool(h)]);
          const masked = maskToolHeaders(sealed);
          expect(headersOf(masked)[0]).toEqual(Object.fromEntries(Object.keys(h).map((k) => [k, HEADER_MASK])));
          expect(headersOf(await sealOk([tool(headersOf(masked)[0]!, sameOrigin)], sealed))).toEqual(headersOf(sealed));
        },
      ),
      { numRuns: 30 },
    );
  });

  it("a mask is never taken for a value: with nothing saved, for another tool, or towards another origin, the value must be entered", async () => {
    const sealed = await sealOk([tool({ Authorization: "Bearer s3cret" })]);
    const masked = { Authorization: HEADER_MASK };
    for (const [tools, stored] of [
      [[tool(masked)], []],
      [[tool(masked, undefined, "other")], sealed],
      [[tool(masked, "https://attacker.example.net/x")], sealed],
      [[tool(masked, "http://api.example.com/x")], sealed], // https → http is another origin too
      [[tool({ "X-Other": HEADER_MASK })], sealed],
    ] as [AgentTool[], AgentTool[]][]) {
      expect(await sealToolHeaders(pii, { tenantId, tools, stored })).toMatchObject({
        problem: expect.stringMatching(/enter/),
      });
    }
    // Header names compare as HTTP does, without case.
    expect(headersOf(await sealOk([tool({ authorization: HEADER_MASK })], sealed))[0]).toEqual({
      authorization: headersOf(sealed)[0]!.Authorization,
    });
  });

  it("open another tenant's ciphertext to nothing (left out, reported), and a value saved before encryption as it is", async () => {
    const sealed = await sealOk([tool({ Authorization: "Bearer s3cret" })]);
    const unreadable: string[] = [];
    const other = "00000000-0000-4000-8000-000000000002";
    const opened = await openToolHeaders(
      pii,
      { tenantId: other, tools: [...sealed, tool({ "X-Legacy": "plain" }, undefined, "legacy")] },
      (t, h) => unreadable.push(`${t}.${h}`),
    );
    expect(headersOf(opened)).toEqual([{}, { "X-Legacy": "plain" }]);
    expect(unreadable).toEqual(["lookup.Authorization"]);
    expect(headersOf(await openToolHeaders(undefined, { tenantId, tools: sealed }))).toEqual([{}]);
  });

  it("rotate: plaintext and old-key values under the newest key; values no configured key opens left as they are", async () => {
    const [k0, k3, stray] = [generatePiiKey("t0"), generatePiiKey("t3"), generatePiiKey("tx")];
    const cipher = (keys: string) => createPiiCipher({ keys, blindIndexKey: "bi" });
    const tools = [
      ...(
        (await sealToolHeaders(cipher(k0), { tenantId, tools: [tool({ A: "a" }, undefined, "a")] })) as {
          tools: AgentTool[];
        }
      ).tools,
      tool({ B: "plain" }, undefined, "b"),
      ...(
        (await sealToolHeaders(cipher(stray), { tenantId, tools: [tool({ C: "c" }, undefined, "c")] })) as {
          tools: AgentTool[];
        }
      ).tools,
    ];
    const r = await resealToolHeaders(cipher(`${k3},${k0}`), { tenantId, tools });
    expect(r).toMatchObject({ rewritten: 2, unreadable: 1 });
    expect(headersOf(r.tools)[2]).toEqual(headersOf(tools)[2]);
    expect(headersOf(await openToolHeaders(cipher(k3), { tenantId, tools: r.tools.slice(0, 2) }))).toEqual([
      { A: "a" },
      { B: "plain" },
    ]);
  });
});
