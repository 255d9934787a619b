import { describe, expect, it } from "vitest";
import { agentSchema } from "./agent-form";

const base = { name: "Desk", systemPrompt: "Answer the phone.", voice: "sandbox-alloy", model: "gpt-4o-mini" };

describe("the agent form", () => {
  it("fills defaults, and an empty first message means waiting for the caller", () => {
    const a = agentSchema.parse({ ...base, firstMessage: "" });
    expect(a).toMatchObject({
      firstMessage: "",
      language: "en",
      temperature: "0.70",
      interruptionSensitivity: "0.50",
      maxDurationSeconds: 1800,
      silenceTimeoutSeconds: 20,
      endCallPhrases: [],
      tools: [],
      recordCalls: false,
      recordingDisclosure: null,
    });
  });

  it("turns the tool fields into the agent's tool list", () => {
    const http = [
      {
        type: "http",
        name: "check_hours",
        description: "Hours",
        parameters: { type: "object" },
        url: "https://api.example.com/hours",
        method: "GET",
      },
    ];
    const a = agentSchema.parse({
      ...base,
      endCallTool: "on",
      dtmfTool: "on",
      transferNumber: "+14155550100",
      httpTools: JSON.stringify(http),
      endCallPhrases: "goodbye\nhave a nice day, bye now",
    });
    expect(a.tools).toEqual([
      { type: "end_call" },
      { type: "send_dtmf" },
      { type: "transfer_call", number: "+14155550100", mode: "cold" },
      http[0],
    ]);
    expect(agentSchema.parse({ ...base, transferNumber: "+14155550100", transferMode: "warm" }).tools).toEqual([
      { type: "transfer_call", number: "+14155550100", mode: "warm" },
    ]);
    expect(agentSchema.parse({ ...base, recordCalls: "on", recordingDisclosure: "  We record.  " })).toMatchObject({
      recordCalls: true,
      recordingDisclosure: "We record.",
    });
    expect(a.endCallPhrases).toEqual(["goodbye", "have a nice day", "bye now"]);
  });

  it("names the problem in bad input instead of losing it", () => {
    const issues = (input: Record<string, string>) =>
      agentSchema.safeParse({ ...base, ...input }).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ httpTools: "[{" })).toEqual(["httpTools: HTTP tools must be a JSON array"]);
    expect(issues({ httpTools: '[{"type":"http","name":"x y"}]' })![0]).toMatch(
      /^httpTools: Tool 0\.name: tool names are/,
    );
    expect(issues({ transferNumber: "555-0100" })![0]).toMatch(/^transferNumber: Use E\.164/);
    expect(issues({ temperature: "3" })![0]).toMatch(/^temperature:/);
    expect(issues({ voice: "<script>" })![0]).toMatch(/^voice:/);
    expect(issues({ transferMode: "lukewarm" })![0]).toMatch(/^transferMode:/);
    expect(issues({ recordingDisclosure: "x".repeat(301) })![0]).toMatch(/^recordingDisclosure:/);
  });
});
