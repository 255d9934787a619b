import { describe, expect, it } from "vitest";
import { runTool, toolSpecs } from "./tools";

const call = (args: unknown) => ({ id: "t1", name: "transfer_call", arguments: typeof args === "string" ? args : JSON.stringify(args) });

describe("the transfer tool", () => {
  it("asks the model for a briefing only when the transfer is warm", () => {
    const [cold] = toolSpecs([{ type: "transfer_call", number: "+14155550100" }]);
    const [warm] = toolSpecs([{ type: "transfer_call", number: "+14155550100", mode: "warm" }]);
    expect(cold!.parameters).toEqual({ type: "object", properties: {} });
    expect(warm!.parameters).toMatchObject({ required: ["summary"], properties: { summary: { type: "string" } } });
  });

  it("carries the summary of a warm transfer, and still transfers without a usable one", async () => {
    const warm = [{ type: "transfer_call" as const, number: "+14155550100", mode: "warm" as const }];
    expect((await runTool(call({ summary: "  Ada, billing.  " }), warm)).action).toEqual({ kind: "transfer", number: "+14155550100", mode: "warm", summary: "Ada, billing." });
    expect((await runTool(call("{not json"), warm)).action).toEqual({ kind: "transfer", number: "+14155550100", mode: "warm" });
    expect((await runTool(call({ summary: "x".repeat(900) }), warm)).action).toMatchObject({ summary: "x".repeat(600) });
    expect((await runTool(call({ summary: "ignored" }), [{ type: "transfer_call", number: "+14155550100" }])).action).toEqual({ kind: "transfer", number: "+14155550100", mode: "cold" });
  });
});
