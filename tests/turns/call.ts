import { decodeMulaw, encodeMulaw } from "../../core/audio/mulaw";
import { openMediaStream } from "../fakes/twilio-media-stream";
import { clock } from "../fakes/twilio-player";
import { ringingCall } from "../support/relay";
import { ownerQuery } from "../support/seed";
import { eventually } from "../support/wait";
import { buildClip, type Clip, question, type Scenario } from "./corpus";
import type { TurnsRig } from "./rig";

/** The caller's clip starts this long after the agent's long line became audible: in its second sentence. */
export const INJECT_AFTER_MS = 2400;
/** Agent quiet this long after the caller (and nothing queued): settled, even for a recovery that waits ~2 s to resume. */
const SETTLE_MS = 3000;
const SILENCE = new Uint8Array(160).fill(0xff);

export type DbTurn = { seq: number; speaker: string; text: string; interrupted: boolean };
export type CallRecord = {
  scenario: Scenario;
  clip: Clip;
  startedAt: number;
  /** On the player's clock: when the question's last word ended, when the clip's first sample was sent. */
  questionEnd: number | null;
  clipAt: number;
  audible: { start: number; end: number }[];
  marks: { name: string; at: number; cleared: boolean }[];
  turns: DbTurn[];
  toolAnsweredAt: number | null;
};

// Connections to the recogniser open in the order streams start: one stream opens at a time, so
// each call's timed script goes to its own connection.
let opening: Promise<unknown> = Promise.resolve();

/**
 * One call through the real relay: the greeting plays; for a `line` scenario the caller asks the
 * question and the clip starts INJECT_AFTER_MS into the long line; for an `after` one the clip is
 * the caller's turn once the greeting has played. The caller's channel is silence otherwise (plus
 * the agent's own audio, delayed and attenuated, for an echo scenario), sent in real time until the
 * call settles. Returns the player's timeline and the transcript the relay recorded.
 */
export async function runScenario(rig: TurnsRig, scenario: Scenario): Promise<CallRecord> {
  const clip = buildClip(scenario);
  const ask = buildClip(question);
  const call = await ringingCall(rig.db, { ownerUrl: rig.ownerUrl, tokenSecret: rig.tokenSecret, tenant: rig.tenant });
  const toolsBefore = rig.toolAnswers.length;
  const open = opening.then(async () => {
    const script = rig.deepgram.timed();
    const before = rig.deepgram.connections.length;
    const stream = await openMediaStream(rig.relayUrl, { token: call.token }, rig.twilioAuthToken, { player: true });
    await stream.waitFor("the recogniser's connection", () => rig.deepgram.connections.length > before);
    return { script, stream };
  });
  opening = open.catch(() => undefined);
  const { script, stream } = await open;
  const player = stream.player!;
  const echoGain = scenario.echo ? 10 ** (-scenario.echo.attenuationDb / 20) : 0;

  let playing: { clip: Clip; frame: number } | null = null;
  let questionEnd: number | null = null;
  let clipAt = 0;
  let clipDone = false;
  let lineAt: number | null = null;
  let stop = false;
  const start = (c: Clip, i: number, at: number) => {
    playing = { clip: c, frame: 0 };
    script.add(c.words.map((w) => ({ ...w, startMs: w.startMs + i * 20, endMs: w.endMs + i * 20 })));
    if (c === ask) questionEnd = at + (c.words.at(-1)?.endMs ?? 0);
    else clipAt = at;
  };
  const greeted = () => player.marks().some((m) => m.name === "turn-0") && player.idle();
  const caller = stream.stream((i, sentAt) => {
    if (stop) return undefined;
    // A frame carries the 20 ms of audio captured before it is sent, as Twilio's do.
    const at = sentAt - 20;
    if (!playing && !clipAt) {
      if (scenario.during === "after" && greeted()) start(clip, i, at);
      else if (scenario.during === "line" && !questionEnd && greeted()) start(ask, i, at);
      else if (scenario.during === "line" && questionEnd) {
        lineAt ??= player.audible().find((a) => a.start > questionEnd!)?.start ?? null;
        if (lineAt && at >= lineAt + INJECT_AFTER_MS) start(clip, i, at);
      }
    }
    let frame: Uint8Array = SILENCE;
    const p = playing as { clip: Clip; frame: number } | null;
    if (p) {
      frame = p.clip.mulaw.subarray(p.frame * 160, p.frame * 160 + 160);
      if (frame.length < 160) frame = Uint8Array.from({ length: 160 }, (_, k) => frame[k] ?? 0xff);
      if (++p.frame * 160 >= p.clip.mulaw.length) {
        playing = null;
        if (p.clip === clip) clipDone = true;
      }
    }
    if (!echoGain) return frame;
    const heard = player.heard(at - scenario.echo!.delayMs, 160);
    const mine = decodeMulaw(frame);
    return encodeMulaw(Int16Array.from(mine, (s, k) => s + heard[k]! * echoGain));
  });

  const lastWordEnd = () => clipAt + (clip.words.at(-1)?.endMs ?? clip.durationMs);
  const settled = () => {
    const now = clock();
    const last = player.audible().at(-1);
    const repliedAfter = scenario.kind === "tool" ? rig.toolAnswers[toolsBefore] : lastWordEnd();
    if (!clipDone || !player.idle() || (last && last.end > now - SETTLE_MS) || now < lastWordEnd() + SETTLE_MS)
      return false;
    // A caller's turn waits for the agent's answer to it (after the slow tool's answer).
    if (scenario.during === "after") return Boolean(repliedAfter && last && last.start >= repliedAfter);
    return true;
  };
  try {
    await stream.waitFor(`${scenario.name} to settle`, settled, 30_000);
  } finally {
    stop = true;
    await caller;
    await stream.hangUp();
  }
  // The relay records the last lines as the call closes.
  await eventually(
    async () =>
      (await ownerQuery(rig.ownerUrl, "select 1 from calls where id = $1 and ended_at is not null", [call.callId]))
        .length,
    10_000,
    "the call to be closed",
  );
  const turns = await ownerQuery<DbTurn>(
    rig.ownerUrl,
    "select seq, speaker, text, interrupted from call_turns where call_id = $1 order by seq",
    [call.callId],
  );
  return {
    scenario,
    clip,
    startedAt: stream.startedAt,
    questionEnd,
    clipAt,
    audible: player.audible(),
    marks: player.marks(),
    turns,
    toolAnsweredAt: rig.toolAnswers[toolsBefore] ?? null,
  };
}
