import type { FieldErrors } from "~/utils/forms";
import { defaultTurnTaking, type TurnTaking, turnTakingLimits } from "../../core/agents/turn-taking-limits";
import { Field, Input } from "./ui/field";

const FIELDS: { key: keyof TurnTaking; label: string; step?: number }[] = [
  { key: "minSpeechMs", label: "Caller speech before the agent pauses (ms)" },
  { key: "minWords", label: "Words (not “mhm”, “yeah”…) that make it an interruption" },
  { key: "resumeAfterQuietMs", label: "Quiet after which a paused agent resumes (ms)" },
  { key: "maxPauseMs", label: "Longest pause without words before the agent resumes (ms)" },
  {
    key: "echoMargin",
    label: "Echo guard: caller sound under this share of the agent's own audio is ignored (0 = off)",
    step: 0.05,
  },
  { key: "endpointingExtraMs", label: "Extra wait when the caller stops mid-sentence (ms, 0 = off)" },
  { key: "fillerAfterMs", label: "Say “One moment…” when a tool takes longer than (ms, 0 = never)" },
];

/**
 * The agent's turn-taking overrides (docs/decisions/0042): empty fields keep the default, shown as
 * the placeholder. A refused form gives back what was typed (`typed`), else the saved value.
 */
export function TurnTakingFields({
  saved = {},
  typed = {},
  errors,
}: {
  saved?: Partial<TurnTaking>;
  typed?: Record<string, unknown>;
  errors?: FieldErrors | null;
}) {
  return (
    <fieldset className="mt-6">
      <legend>Turn-taking</legend>
      <p className="muted">Empty keeps the default, shown greyed.</p>
      {FIELDS.map(({ key, label, step }) => (
        <Field key={key} label={label} error={errors?.[key]}>
          {(p) => (
            <Input
              {...p}
              name={key}
              type="number"
              min={turnTakingLimits[key].min}
              max={turnTakingLimits[key].max}
              step={step ?? 1}
              placeholder={String(defaultTurnTaking[key])}
              defaultValue={typeof typed[key] === "string" ? (typed[key] as string) : (saved[key] ?? "")}
            />
          )}
        </Field>
      ))}
    </fieldset>
  );
}
