import type { FieldErrors } from "~/utils/forms";
import { models, voices } from "~/utils/agent-form";

type Values = { name?: string; systemPrompt?: string; firstMessage?: string; voice?: string; model?: string };

export function AgentFields({ values = {}, errors }: { values?: Values; errors?: FieldErrors | null }) {
  return (
    <>
      <label htmlFor="name">Name</label>
      <input id="name" name="name" defaultValue={values.name} required />
      {errors?.name && <p className="error">{errors.name}</p>}
      <label htmlFor="systemPrompt">Prompt</label>
      <textarea id="systemPrompt" name="systemPrompt" rows={6} defaultValue={values.systemPrompt} required />
      {errors?.systemPrompt && <p className="error">{errors.systemPrompt}</p>}
      <label htmlFor="firstMessage">First message</label>
      <input id="firstMessage" name="firstMessage" defaultValue={values.firstMessage} required />
      {errors?.firstMessage && <p className="error">{errors.firstMessage}</p>}
      <label htmlFor="voice">Voice (sandbox)</label>
      <select id="voice" name="voice" defaultValue={values.voice ?? voices[0]}>
        {voices.map((v) => (
          <option key={v}>{v}</option>
        ))}
      </select>
      {errors?.voice && <p className="error">{errors.voice}</p>}
      <label htmlFor="model">Model</label>
      <select id="model" name="model" defaultValue={values.model ?? models[0]}>
        {models.map((m) => (
          <option key={m}>{m}</option>
        ))}
      </select>
      {errors?.model && <p className="error">{errors.model}</p>}
    </>
  );
}
