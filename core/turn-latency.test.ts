import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SILENT_TURN_MS, waterfall } from "./turn-latency";

const ms = fc.integer({ min: 0, max: 5000 });
const latency = fc.record(
  { sttMs: ms, llmMs: ms, ttsMs: ms, platformMs: ms, networkMs: ms },
  { requiredKeys: ["sttMs", "llmMs", "ttsMs", "platformMs"] },
);

describe("a turn's waterfall", () => {
  it("lists the stages in order, network only when measured, and names the longest", () => {
    const w = waterfall({ sttMs: 300, llmMs: 820, ttsMs: 90, platformMs: 4 }, 1214);
    expect(w.stages.map((s) => s.label)).toEqual(["recogniser", "model", "speech", "platform"]);
    expect(w.slowest.label).toBe("model");
    expect(w.heardMs).toBe(1214);
    expect(w.silent).toBe(true);
    const withNetwork = waterfall({ sttMs: 300, llmMs: 400, ttsMs: 90, platformMs: 4, networkMs: 60 }, 794);
    expect(withNetwork.stages.at(-1)).toMatchObject({ label: "network", ms: 60 });
    expect(withNetwork.heardMs).toBe(854);
    expect(withNetwork.silent).toBe(false);
  });

  it("flags exactly the turns whose caller heard more than a second of silence", () => {
    fc.assert(
      fc.property(latency, ms, (l, total) => {
        const w = waterfall(l, total);
        expect(w.silent).toBe(total + (l.networkMs ?? 0) > SILENT_TURN_MS);
        expect(w.stages.every((s) => s.ms <= w.slowest.ms)).toBe(true);
      }),
    );
  });
});
