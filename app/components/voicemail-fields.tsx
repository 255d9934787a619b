import { outboundCallLimits } from "../../core/outbound-call-limits";

/** What to do when an answering machine, or a call-screening assistant, picks up an outbound call; shared by single calls and campaigns. */
export function VoicemailFields({ error }: { error?: string | null }) {
  return (
    <>
      <label htmlFor="machineDetection">If voicemail answers</label>
      <select id="machineDetection" name="machineDetection" defaultValue="off">
        <option value="off">Don't check (the agent talks to whoever answers)</option>
        <option value="hangup">Hang up</option>
        <option value="leave_message">Leave a message</option>
      </select>
      <label htmlFor="voicemailMessage">Message to leave</label>
      <textarea
        id="voicemailMessage"
        name="voicemailMessage"
        rows={2}
        maxLength={outboundCallLimits.voicemailMessage}
      />
      {error && <p className="error">{error}</p>}
      <label htmlFor="screeningAction">
        If a call-screening assistant answers ("say your name and why you're calling")
      </label>
      <select id="screeningAction" name="screeningAction" defaultValue="state_purpose">
        <option value="state_purpose">Say who is calling and why, then wait for them</option>
        <option value="leave_message">Leave the message above and hang up</option>
        <option value="hang_up">Hang up</option>
      </select>
      <label htmlFor="screeningMessage">What to say to the assistant (empty: the agent's first message)</label>
      <textarea
        id="screeningMessage"
        name="screeningMessage"
        rows={2}
        maxLength={outboundCallLimits.screeningMessage}
        placeholder="Hi, this is Ava from Acme Dental about {{name}}'s appointment tomorrow."
      />
    </>
  );
}
