import { outboundCallLimits } from "../../core/outbound-call-input";

/** What to do when an answering machine picks up an outbound call; shared by single calls and campaigns. */
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
    </>
  );
}
