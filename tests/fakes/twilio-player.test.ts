import { describe, expect, it } from "vitest";
import { eventually } from "../support/wait";
import { createPlayer } from "./twilio-player";

const frame = new Uint8Array(160).fill(0x10);

describe("the Twilio player", () => {
  it("plays queued frames back to back, 20 ms each, and sends a mark back when playback reaches it", async () => {
    const back: string[] = [];
    const player = createPlayer((name) => back.push(name));
    for (let i = 0; i < 10; i++) player.media(frame);
    player.mark("a");
    for (let i = 0; i < 5; i++) player.media(frame);
    player.mark("b");
    expect(back).toEqual([]);
    await eventually(async () => back.length === 2, 5000, "both marks");
    expect(back).toEqual(["a", "b"]);
    const [interval, ...more] = player.audible();
    expect(more).toEqual([]);
    expect(interval!.end - interval!.start).toBeCloseTo(300, 6);
    const [a, b] = player.marks();
    expect(a!.at - interval!.start).toBeCloseTo(200, 6);
    expect(b!.at).toBeCloseTo(interval!.end, 6);
    expect(player.marks().every((m) => !m.cleared)).toBe(true);
    expect(player.idle()).toBe(true);
  });

  it("on clear: stops, drops what is queued, and sends back every pending mark at once", () => {
    const back: string[] = [];
    const player = createPlayer((name) => back.push(name));
    for (let i = 0; i < 50; i++) player.media(frame);
    player.mark("x.0");
    player.media(frame);
    player.mark("x");
    player.clear();
    expect(back).toEqual(["x.0", "x"]);
    expect(player.marks().map((m) => m.cleared)).toEqual([true, true]);
    const [interval] = player.audible();
    expect(interval!.end - interval!.start).toBeLessThanOrEqual(20);
    expect(player.idle()).toBe(true);
    player.stop();
  });
});
