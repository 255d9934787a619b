import { encodeMulaw } from "../../core/audio/mulaw";
import { voiced } from "../../voice/voicing";

/**
 * What the turn-taking voicing check (voice/voicing.ts, docs/decisions/0042) costs a relay: CPU per
 * check, timed here on a voice-like signal (which runs the check's full length least often) and on
 * noise (which runs it to the end), and the worst case per call, when every caller frame is loud
 * while the agent speaks: 50 checks a second.
 */
export function voicingCost(frames = 5000) {
  const vowel = Int16Array.from({ length: 160 * (frames + 1) }, (_, i) =>
    Math.round(9000 * Math.sin((2 * Math.PI * 120 * i) / 8000) + 3000 * Math.sin((2 * Math.PI * 840 * i) / 8000)),
  );
  let s = 11;
  const noise = Int16Array.from({ length: vowel.length }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.round((s / 2 ** 31 - 0.5) * 20000);
  });
  const time = (pcm: Int16Array) => {
    const f = Array.from({ length: frames + 1 }, (_, i) => encodeMulaw(pcm.subarray(i * 160, i * 160 + 160)));
    const t0 = process.cpuUsage();
    for (let i = 1; i <= frames; i++) voiced(f[i - 1]!, f[i]!);
    const used = process.cpuUsage(t0);
    return (used.user + used.system) / frames;
  };
  return { voiceUs: time(vowel), noiseUs: time(noise) };
}

export function printVoicingCost(relayUsPerFrame?: number) {
  const { voiceUs, noiseUs } = voicingCost();
  const worst = Math.max(voiceUs, noiseUs);
  console.log(
    `turn-taking voicing check: ${voiceUs.toFixed(1)} µs on a voice, ${noiseUs.toFixed(1)} µs on noise; worst case per call (every frame loud while the agent speaks) ${((worst * 50) / 1000).toFixed(2)} ms CPU a second = ${((worst * 50) / 10_000).toFixed(2)} % of a core${relayUsPerFrame ? `, ${(worst / relayUsPerFrame).toFixed(2)} × the relay's whole cost per frame measured above` : ""}`,
  );
}
