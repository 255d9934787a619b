import type { FieldErrors } from "~/utils/forms";
import type { AgentTool } from "../../core/agent-tools";
import { sandboxVoices } from "../../core/agents/agent-limits";
import type { TurnTaking } from "../../core/agents/turn-taking";
import type { AnalysisPlan } from "../../core/analysis/plan";
import { ErrorText } from "./agent-panels";
import { AgentTabs } from "./agent-tabs";

export type Values = {
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

/** Every agent setting, in tabs; one form still submits them all (inactive tabs stay mounted). */
export function AgentFields({
  values = {},
  errors,
  knowledgeBases = [],
}: {
  values?: Values;
  errors?: FieldErrors | null;
  knowledgeBases?: { id: string; name: string }[];
}) {
  return <AgentTabs values={values} errors={errors} knowledgeBases={knowledgeBases} />;
}

// The three controls below are whole blocks, each swapped for a richer one on its own.

export function VoiceControl({ voice, error }: { voice?: string; error?: string }) {
  return (
    <div className="mt-3">
      <label htmlFor="voice">Voice</label>
      <input id="voice" name="voice" list="voices" defaultValue={voice ?? sandboxVoices[0]} required />
      <datalist id="voices">
        {sandboxVoices.map((v) => (
          <option key={v} value={v} />
        ))}
      </datalist>
      <p className="muted">A sandbox voice, or your text-to-speech provider's voice id.</p>
      <ErrorText error={error} />
    </div>
  );
}

export function HttpToolsControl({ http, typed, error }: { http: AgentTool[]; typed?: string; error?: string }) {
  return (
    <div className="mt-3">
      <label htmlFor="httpTools">HTTP tools (JSON array)</label>
      <textarea
        id="httpTools"
        name="httpTools"
        rows={4}
        defaultValue={http.length ? JSON.stringify(http, null, 2) : (typed ?? "")}
        placeholder='[{"type":"http","name":"check_hours","description":"…","parameters":{"type":"object"},"url":"https://…","method":"POST"}]'
      />
      <p className="muted">
        Header values are kept encrypted and shown as ******** to everyone; leave one as it is to keep it. A tool moved
        to another address needs its header values entered again.
      </p>
      <ErrorText error={error} />
    </div>
  );
}

export function DataSchemaControl({
  schema,
  typed,
  error,
}: {
  schema?: AnalysisPlan["dataSchema"];
  typed?: string;
  error?: string;
}) {
  return (
    <div className="mt-3">
      <label htmlFor="dataSchema">Structured data (a JSON schema of the fields to extract)</label>
      <textarea
        id="dataSchema"
        name="dataSchema"
        rows={4}
        defaultValue={schema ? JSON.stringify(schema, null, 2) : (typed ?? "")}
        placeholder='{"type":"object","properties":{"name":{"type":"string"},"appointmentTime":{"type":"string","description":"ISO 8601"}}}'
      />
      <ErrorText error={error} />
    </div>
  );
}
