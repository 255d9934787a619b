import type { FieldErrors } from "~/utils/forms";
import type { AgentTool } from "../../core/agent-tools";
import { agentLimits as L, languages, models } from "../../core/agents/agent-limits";
import type { TurnTaking } from "../../core/agents/turn-taking";
import type { VoiceOption } from "../../core/agents/voice-catalogue";
import type { AnalysisPlan } from "../../core/analysis/plan";
import { DataSchemaBuilder } from "./data-schema-builder";
import { ToolsBuilder } from "./tools-builder";
import { TurnTakingFields } from "./turn-taking-fields";
import { VoicePicker } from "./voice-picker";

type Values = {
  name?: string;
  systemPrompt?: string;
  firstMessage?: string;
  voice?: string;
  model?: string;
  mode?: string;
  language?: string;
  temperature?: string;
  interruptionSensitivity?: string;
  maxDurationSeconds?: number | string;
  silenceTimeoutSeconds?: number | string;
  endCallPhrases?: string[] | string;
  tools?: AgentTool[];
  recordCalls?: boolean | string;
  recordingDisclosure?: string | null;
  analysisPlan?: AnalysisPlan;
  knowledgeBaseIds?: string[] | string;
  retrievalMode?: string;
  turnTaking?: Partial<TurnTaking>;
  /** A refused form's own text, given back as typed. */
  summaryPrompt?: string;
  dataSchema?: string;
  successRubric?: string;
  httpTools?: string;
};
export const DEFAULT_DISCLOSURE = "This call is recorded for quality and training.";

export function AgentFields({
  values = {},
  errors,
  knowledgeBases = [],
  voices,
}: {
  values?: Values;
  errors?: FieldErrors | null;
  knowledgeBases?: { id: string; name: string }[];
  voices?: VoiceOption[];
}) {
  const attached = new Set(
    Array.isArray(values.knowledgeBaseIds)
      ? values.knowledgeBaseIds
      : values.knowledgeBaseIds
        ? [values.knowledgeBaseIds]
        : [],
  );
  const tools = Array.isArray(values.tools) ? values.tools : [];
  const field = (id: string) => errors?.[id] && <p className="error">{errors[id]}</p>;
  return (
    <>
      <label htmlFor="name">Name</label>
      <input id="name" name="name" defaultValue={values.name} required />
      {field("name")}
      <label htmlFor="systemPrompt">Prompt</label>
      <textarea id="systemPrompt" name="systemPrompt" rows={6} defaultValue={values.systemPrompt} required />
      {field("systemPrompt")}
      <label htmlFor="firstMessage">First message</label>
      <input
        id="firstMessage"
        name="firstMessage"
        defaultValue={values.firstMessage}
        placeholder="Leave empty to wait for the caller to speak"
      />
      {field("firstMessage")}
      <VoicePicker value={values.voice} voices={voices} error={errors?.voice} />
      <label htmlFor="model">Model</label>
      <select id="model" name="model" defaultValue={values.model ?? models[0]}>
        {models.map((m) => (
          <option key={m}>{m}</option>
        ))}
      </select>
      {field("model")}
      <label htmlFor="mode">Conversation mode</label>
      <select id="mode" name="mode" defaultValue={values.mode ?? "cascade"}>
        <option value="cascade">Cascade: speech-to-text, model, text-to-speech</option>
        <option value="speech_to_speech">Speech-to-speech: OpenAI Realtime</option>
      </select>
      <label htmlFor="language">Language</label>
      <select id="language" name="language" defaultValue={values.language ?? "en"}>
        {languages.map((l) => (
          <option key={l}>{l}</option>
        ))}
      </select>
      {field("language")}
      <label htmlFor="temperature">
        Temperature ({L.temperature.min}–{L.temperature.max})
      </label>
      <input
        id="temperature"
        name="temperature"
        type="number"
        min={L.temperature.min}
        max={L.temperature.max}
        step={0.05}
        defaultValue={values.temperature ?? "0.70"}
      />
      {field("temperature")}
      <label htmlFor="interruptionSensitivity">
        Interruption sensitivity (0 hard to interrupt – 1 stops at any sound)
      </label>
      <input
        id="interruptionSensitivity"
        name="interruptionSensitivity"
        type="number"
        min={L.interruptionSensitivity.min}
        max={L.interruptionSensitivity.max}
        step={0.05}
        defaultValue={values.interruptionSensitivity ?? "0.50"}
      />
      {field("interruptionSensitivity")}
      <label htmlFor="maxDurationSeconds">Maximum call length (seconds)</label>
      <input
        id="maxDurationSeconds"
        name="maxDurationSeconds"
        type="number"
        min={L.maxDurationSeconds.min}
        max={L.maxDurationSeconds.max}
        defaultValue={values.maxDurationSeconds ?? 1800}
      />
      {field("maxDurationSeconds")}
      <label htmlFor="silenceTimeoutSeconds">Silence before the agent checks in (seconds, 0 = never)</label>
      <input
        id="silenceTimeoutSeconds"
        name="silenceTimeoutSeconds"
        type="number"
        min={L.silenceTimeoutSeconds.min}
        max={L.silenceTimeoutSeconds.max}
        defaultValue={values.silenceTimeoutSeconds ?? 20}
      />
      {field("silenceTimeoutSeconds")}
      <TurnTakingFields saved={values.turnTaking} typed={values as Record<string, unknown>} errors={errors} />
      <label htmlFor="endCallPhrases">End-call phrases (one per line)</label>
      <textarea
        id="endCallPhrases"
        name="endCallPhrases"
        rows={2}
        defaultValue={Array.isArray(values.endCallPhrases) ? values.endCallPhrases.join("\n") : values.endCallPhrases}
      />
      {field("endCallPhrases")}
      <fieldset>
        <legend>Recording</legend>
        <label>
          <input
            type="checkbox"
            name="recordCalls"
            value="on"
            className="inline"
            defaultChecked={values.recordCalls === true || values.recordCalls === "on"}
          />{" "}
          Record phone calls (both sides, kept encrypted for the team's retention period)
        </label>
        <label htmlFor="recordingDisclosure">Disclosure the agent says first when recording (empty = none)</label>
        <input
          id="recordingDisclosure"
          name="recordingDisclosure"
          defaultValue={values.recordingDisclosure ?? (values.recordCalls === undefined ? DEFAULT_DISCLOSURE : "")}
          maxLength={L.recordingDisclosure}
        />
        {field("recordingDisclosure")}
      </fieldset>
      <ToolsBuilder tools={tools} typed={values.httpTools} error={field} />
      <fieldset>
        <legend>Knowledge</legend>
        {knowledgeBases.length === 0 && <p className="muted">No knowledge bases yet: add documents under Knowledge.</p>}
        {knowledgeBases.map((k) => (
          <label key={k.id}>
            <input
              type="checkbox"
              name="knowledgeBaseIds"
              value={k.id}
              className="inline"
              defaultChecked={attached.has(k.id)}
            />{" "}
            {k.name}
          </label>
        ))}
        {field("knowledgeBaseIds")}
        <label htmlFor="retrievalMode">How the agent uses them</label>
        <select id="retrievalMode" name="retrievalMode" defaultValue={values.retrievalMode ?? "auto"}>
          <option value="auto">Automatically: relevant passages before each answer</option>
          <option value="tool">As a tool: the model searches when it decides to</option>
        </select>
      </fieldset>
      <fieldset>
        <legend>After each call</legend>
        <p className="muted">Every call gets a summary. Add fields to extract and a rubric to judge success by.</p>
        <label htmlFor="summaryPrompt">Summary instruction (empty = a two-or-three-sentence summary)</label>
        <textarea
          id="summaryPrompt"
          name="summaryPrompt"
          rows={2}
          defaultValue={values.analysisPlan?.summaryPrompt ?? values.summaryPrompt ?? ""}
        />
        {field("summaryPrompt")}
        <DataSchemaBuilder
          initial={
            values.analysisPlan?.dataSchema
              ? JSON.stringify(values.analysisPlan.dataSchema, null, 2)
              : (values.dataSchema ?? "")
          }
          error={field("dataSchema")}
        />
        <label htmlFor="successRubric">Success rubric (empty = not evaluated)</label>
        <textarea
          id="successRubric"
          name="successRubric"
          rows={2}
          defaultValue={values.analysisPlan?.successRubric ?? values.successRubric ?? ""}
          placeholder="The caller booked an appointment or was told why not."
        />
        {field("successRubric")}
      </fieldset>
    </>
  );
}
