import { agentLimits as L } from "../../core/agents/agent-limits";
import { DEFAULT_DISCLOSURE } from "./agent-fields";
import { ErrorText, errorOf, type PanelProps } from "./agent-panels";
import { DataSchemaBuilder } from "./data-schema-builder";
import { TurnTakingFields } from "./turn-taking-fields";
import { CheckboxField, Field, Input, Textarea } from "./ui/field";

export function AfterCallPanel({ values, errors }: PanelProps) {
  const e = (k: string) => errorOf(errors, k);
  return (
    <>
      <p className="muted">Every call gets a summary. Add fields to extract and a rubric to judge success by.</p>
      <Field label="Summary instruction (empty = a two-or-three-sentence summary)" error={e("summaryPrompt")}>
        {(p) => (
          <Textarea
            {...p}
            name="summaryPrompt"
            rows={2}
            defaultValue={values.analysisPlan?.summaryPrompt ?? values.summaryPrompt ?? ""}
          />
        )}
      </Field>
      <DataSchemaBuilder
        initial={
          values.analysisPlan?.dataSchema
            ? JSON.stringify(values.analysisPlan.dataSchema, null, 2)
            : (values.dataSchema ?? "")
        }
        error={<ErrorText error={e("dataSchema")} />}
      />
      <Field label="Success rubric (empty = not evaluated)" error={e("successRubric")}>
        {(p) => (
          <Textarea
            {...p}
            name="successRubric"
            rows={2}
            defaultValue={values.analysisPlan?.successRubric ?? values.successRubric ?? ""}
            placeholder="The caller booked an appointment or was told why not."
          />
        )}
      </Field>
      <h3 className="mt-6 mb-0 text-base">Recording</h3>
      <CheckboxField
        name="recordCalls"
        value="on"
        defaultChecked={values.recordCalls === true || values.recordCalls === "on"}
        label="Record phone calls"
        hint="Both sides, kept encrypted for the team's retention period."
      />
      <Field label="Disclosure the agent says first when recording (empty = none)" error={e("recordingDisclosure")}>
        {(p) => (
          <Input
            {...p}
            name="recordingDisclosure"
            defaultValue={values.recordingDisclosure ?? (values.recordCalls === undefined ? DEFAULT_DISCLOSURE : "")}
            maxLength={L.recordingDisclosure}
          />
        )}
      </Field>
    </>
  );
}

export function AdvancedPanel({ values, errors }: PanelProps) {
  const e = (k: string) => errorOf(errors, k);
  const phrases = values.endCallPhrases;
  return (
    <>
      <div className="grid gap-x-4 sm:grid-cols-2">
        <Field label="Maximum call length (seconds)" error={e("maxDurationSeconds")}>
          {(p) => (
            <Input
              {...p}
              name="maxDurationSeconds"
              type="number"
              min={L.maxDurationSeconds.min}
              max={L.maxDurationSeconds.max}
              defaultValue={values.maxDurationSeconds ?? 1800}
            />
          )}
        </Field>
        <Field label="Silence before the agent checks in (seconds, 0 = never)" error={e("silenceTimeoutSeconds")}>
          {(p) => (
            <Input
              {...p}
              name="silenceTimeoutSeconds"
              type="number"
              min={L.silenceTimeoutSeconds.min}
              max={L.silenceTimeoutSeconds.max}
              defaultValue={values.silenceTimeoutSeconds ?? 20}
            />
          )}
        </Field>
      </div>
      <Field
        label="End-call phrases (one per line)"
        hint="The call ends when the agent says one."
        error={e("endCallPhrases")}
      >
        {(p) => (
          <Textarea
            {...p}
            name="endCallPhrases"
            rows={2}
            defaultValue={Array.isArray(phrases) ? phrases.join("\n") : phrases}
          />
        )}
      </Field>
      <Field
        label="Interruption sensitivity (0 hard to interrupt – 1 stops at any sound)"
        error={e("interruptionSensitivity")}
      >
        {(p) => (
          <Input
            {...p}
            name="interruptionSensitivity"
            type="number"
            min={L.interruptionSensitivity.min}
            max={L.interruptionSensitivity.max}
            step={0.05}
            defaultValue={values.interruptionSensitivity ?? "0.50"}
          />
        )}
      </Field>
      <TurnTakingFields saved={values.turnTaking} typed={values as Record<string, unknown>} errors={errors} />
    </>
  );
}
