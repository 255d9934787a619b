import { afterAll, describe, expect, it } from "vitest";
import { type HostileServer, startHostileServer } from "../tests/support/hostile-servers";
import { eventually } from "../tests/support/wait";
import { runTool, toolSpecs } from "./tools";

const call = (args: unknown) => ({
  id: "t1",
  name: "transfer_call",
  arguments: typeof args === "string" ? args : JSON.stringify(args),
});

describe("the transfer tool", () => {
  it("asks the model for a briefing only when the transfer is warm", () => {
    const [cold] = toolSpecs([{ type: "transfer_call", number: "+14155550100" }]);
    const [warm] = toolSpecs([{ type: "transfer_call", number: "+14155550100", mode: "warm" }]);
    expect(cold!.parameters).toEqual({ type: "object", properties: {} });
    expect(warm!.parameters).toMatchObject({ required: ["summary"], properties: { summary: { type: "string" } } });
  });

  it("carries the summary of a warm transfer, and still transfers without a usable one", async () => {
    const warm = [{ type: "transfer_call" as const, number: "+14155550100", mode: "warm" as const }];
    expect((await runTool(call({ summary: "  Ada, billing.  " }), warm)).action).toEqual({
      kind: "transfer",
      number: "+14155550100",
      mode: "warm",
      summary: "Ada, billing.",
    });
    expect((await runTool(call("{not json"), warm)).action).toEqual({
      kind: "transfer",
      number: "+14155550100",
      mode: "warm",
    });
    expect((await runTool(call({ summary: "x".repeat(900) }), warm)).action).toMatchObject({
      summary: "x".repeat(600),
    });
    expect(
      (await runTool(call({ summary: "ignored" }), [{ type: "transfer_call", number: "+14155550100" }])).action,
    ).toEqual({ kind: "transfer", number: "+14155550100", mode: "cold" });
  });
});

describe("an HTTP tool aimed at a hostile endpoint", () => {
  const servers: HostileServer[] = [];
  const serve = async (opts: Parameters<typeof startHostileServer>[0]) => {
    const s = await startHostileServer(opts);
    servers.push(s);
    return s;
  };
  afterAll(() => Promise.all(servers.map((s) => s.stop())));
  const tool = (url: string, timeoutMs = 5000) => [
    { type: "http" as const, name: "lookup", description: "", parameters: {}, url, method: "POST" as const, timeoutMs },
  ];
  const use = (url: string, opts: { timeoutMs?: number; allow?: string[] } = {}) =>
    runTool({ id: "t1", name: "lookup", arguments: "{}" }, tool(url, opts.timeoutMs), {
      allowAddresses: opts.allow ?? ["127.0.0.1"],
    });

  it("gives up at the tool's deadline while the answer drips, and hangs up", async () => {
    const drip = await serve({ mode: "drip", intervalMs: 20 });
    expect(JSON.parse((await use(`${drip.url}/slow`, { timeoutMs: 300 })).result)).toEqual({
      error: "no complete answer within 300 ms",
    });
    await eventually(async () => drip.openConnections() === 0, 5000, "the dripping connection to be closed");
  });

  it("reads no more of an endless answer than it can use", async () => {
    const endless = await serve({ mode: "endless" });
    const { result } = await use(`${endless.url}/forever`, { timeoutMs: 20_000 });
    expect(result).toBe("x".repeat(4000));
    await eventually(async () => endless.openConnections() === 0, 5000, "the endless connection to be closed");
  });

  it("refuses private addresses in every IPv6 disguise, and does not follow a redirect into one", async () => {
    const inside = await serve({ mode: "drip" });
    for (const host of [
      "localhost",
      "[::ffff:127.0.0.1]",
      "[::ffff:7f00:1]",
      "[64:ff9b::7f00:1]",
      "[2002:7f00:1::1]",
      "[::127.0.0.1]",
      "0x7f000001",
    ]) {
      const { result } = await use(`http://${host}:${inside.port}/x`, { allow: [] });
      // Refused by decision (not a failed connection, which a NAT64 or 6to4 network would not give).
      expect(JSON.parse(result).error, host).toMatch(/resolves to .*address/);
    }
    const hop = await serve({ mode: "redirect", location: `http://127.0.0.1:${inside.port}/inside` });
    expect((await use(`${hop.url}/hop`)).result).toBe("");
    expect(inside.requests).toHaveLength(0);
  });
});
