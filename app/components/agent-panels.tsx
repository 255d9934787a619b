import type { FieldErrors } from "~/utils/forms";
import { agentLimits as L, languages, models } from "../../core/agents/agent-limits";
import type { VoiceOption } from "../../core/agents/voice-catalogue";
import type { Values } from "./agent-fields";
import { ToolsBuilder } from "./tools-builder";
import { CheckboxField, Field, Input, Select, Textarea } from "./ui/field";
import { VoicePicker } from "./voice-picker";

export type PanelProps = { values: Values; errors?: FieldErrors | null };
export const ErrorText = ({ error }: { error?: string | null }) => (error ? <p className="error">{error}</p> : null);
export const errorOf = (errors: FieldErrors | null | undefined, key: string) => errors?.[key] ?? null;

export function PromptPanel({ values, errors, voices }: PanelProps & { voices?: VoiceOption[] }) {
  const e = (k: string) => errorOf(errors, k);
  return (
    <>
      <Field label="Name" error={e("name")}>
        {(p) => <Input {...p} name="name" defaultValue={values.name} required />}
      </Field>
      <Field label="Prompt" hint="What the agent does and how it talks: its job, its rules." error={e("systemPrompt")}>
        {(p) => <Textarea {...p} name="systemPrompt" rows={8} defaultValue={values.systemPrompt} required />}
      </Field>
      <Field label="First message" error={e("firstMessage")}>
        {(p) => (
          <Input
            {...p}
            name="firstMessage"
            defaultValue={values.firstMessage}
            placeholder="Leave empty to wait for the caller to speak"
          />
        )}
      </Field>
      <VoicePicker value={values.voice} voices={voices} error={errors?.voice} />
      <div className="grid gap-x-4 sm:grid-cols-2">
        <Field label="Model" error={e("model")}>
          {(p) => (
            <Select {...p} name="model" defaultValue={values.model ?? models[0]}>
              {models.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Language" error={e("language")}>
          {(p) => (
            <Select {...p} name="language" defaultValue={values.language ?? "en"}>
              {languages.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <Field label="Conversation mode" error={e("mode")}>
        {(p) => (
          <Select {...p} name="mode" defaultValue={values.mode ?? "cascade"}>
            <option value="cascade">Cascade: speech-to-text, model, text-to-speech</option>
            <option value="speech_to_speech">Speech-to-speech: OpenAI Realtime</option>
          </Select>
        )}
      </Field>
      <Field
        label={`Temperature (${L.temperature.min}–${L.temperature.max})`}
        hint="Lower is steadier, higher is more varied."
        error={e("temperature")}
      >
        {(p) => (
          <Input
            {...p}
            name="temperature"
            type="number"
            min={L.temperature.min}
            max={L.temperature.max}
            step={0.05}
            defaultValue={values.temperature ?? "0.70"}
          />
        )}
      </Field>
    </>
  );
}

export function ToolsPanel({ values, errors }: PanelProps) {
  const tools = Array.isArray(values.tools) ? values.tools : [];
  return (
    <>
      <p className="muted">What the agent may do during a call, besides talking.</p>
      <ToolsBuilder tools={tools} typed={values.httpTools} error={(k) => <ErrorText error={errorOf(errors, k)} />} />
    </>
  );
}

export function KnowledgePanel({
  values,
  errors,
  knowledgeBases,
}: PanelProps & { knowledgeBases: { id: string; name: string }[] }) {
  const ids = values.knowledgeBaseIds;
  const attached = new Set(Array.isArray(ids) ? ids : ids ? [ids] : []);
  return (
    <>
      <p className="muted">Documents the agent answers from.</p>
      {knowledgeBases.length === 0 && <p className="muted">No knowledge bases yet: add documents under Knowledge.</p>}
      {knowledgeBases.map((k) => (
        <CheckboxField
          key={k.id}
          name="knowledgeBaseIds"
          value={k.id}
          defaultChecked={attached.has(k.id)}
          label={k.name}
        />
      ))}
      <ErrorText error={errorOf(errors, "knowledgeBaseIds")} />
      <Field label="How the agent uses them" error={errorOf(errors, "retrievalMode")}>
        {(p) => (
          <Select {...p} name="retrievalMode" defaultValue={values.retrievalMode ?? "auto"}>
            <option value="auto">Automatically: relevant passages before each answer</option>
            <option value="tool">As a tool: the model searches when it decides to</option>
          </Select>
        )}
      </Field>
    </>
  );
}
