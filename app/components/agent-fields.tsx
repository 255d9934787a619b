import type { FieldErrors } from "~/utils/forms";
import type { AgentTool } from "../../core/agent-tools";
import type { TurnTaking } from "../../core/agents/turn-taking";
import type { VoiceOption } from "../../core/agents/voice-catalogue";
import type { AnalysisPlan } from "../../core/analysis/plan";
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
  voices,
}: {
  values?: Values;
  errors?: FieldErrors | null;
  knowledgeBases?: { id: string; name: string }[];
  voices?: VoiceOption[];
}) {
  return <AgentTabs values={values} errors={errors} knowledgeBases={knowledgeBases} voices={voices} />;
}
