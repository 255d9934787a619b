import { useRef, useState } from "react";
import {
  previewUrl,
  providerLabels,
  sandboxVoiceOptions,
  type VoiceOption,
  voiceTraits,
} from "../../core/agents/voice-catalogue";
import { Badge } from "./ui/badge";
import { Button } from "./ui/button";
import { Input } from "./ui/field";

/**
 * The agent's voice as native radios named `voice` (arrow keys move between them, and the form
 * submits without script), each with a ▶ that plays the voice's fixed sample. A voice id not in
 * the list (a cloned ElevenLabs voice) is the last row, editable with script.
 */
export function VoicePicker({
  value,
  voices = sandboxVoiceOptions,
  error,
}: {
  value?: string;
  voices?: VoiceOption[];
  error?: string | null;
}) {
  const listed = voices.some((v) => v.id === value);
  const [custom, setCustom] = useState(listed || !value ? "" : value);
  const [playing, setPlaying] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const audio = useRef<HTMLAudioElement | null>(null);
  const customRadio = useRef<HTMLInputElement>(null);
  const checked = value ?? voices[0]?.id;

  const play = (v: VoiceOption) => {
    audio.current?.pause();
    const a = new Audio(previewUrl(v.id));
    audio.current = a;
    setFailed(null);
    setPlaying(v.id);
    a.onended = () => setPlaying((p) => (p === v.id ? null : p));
    a.onerror = () => {
      setPlaying(null);
      setFailed(v.name);
    };
    a.play().catch(() => setPlaying(null));
  };

  return (
    <fieldset aria-describedby={error ? "voice-error" : undefined}>
      <legend>Voice</legend>
      <div className="divide-y divide-line rounded-md border border-line" data-testid="voice-picker">
        {voices.map((v) => (
          <div key={v.id} className="flex items-center gap-3 px-3 py-2">
            <label className="m-0 flex min-w-0 flex-1 cursor-pointer items-center gap-2 font-normal">
              <input type="radio" name="voice" value={v.id} defaultChecked={checked === v.id} className="m-0" />
              <span className="font-medium">{v.name}</span>
              <Badge tone={v.provider === "sandbox" ? "neutral" : "info"}>{providerLabels[v.provider]}</Badge>
              <span className="truncate text-xs text-muted">{voiceTraits(v)}</span>
            </label>
            <Button
              variant="ghost"
              size="sm"
              onClick={() => play(v)}
              aria-label={`Play a sample of ${v.name}`}
              aria-pressed={playing === v.id}
            >
              {playing === v.id ? "♪" : "▶"}
            </Button>
          </div>
        ))}
        <div className="flex flex-wrap items-center gap-3 px-3 py-2">
          <label className="m-0 flex items-center gap-2 font-normal">
            <input
              ref={customRadio}
              type="radio"
              name="voice"
              value={custom}
              defaultChecked={!listed && !!value}
              className="m-0"
            />
            <span className="font-medium">Another voice id</span>
          </label>
          <Input
            aria-label="Another voice id"
            value={custom}
            onChange={(e) => {
              setCustom(e.target.value.trim());
              if (customRadio.current) customRadio.current.checked = true;
            }}
            placeholder="e.g. a cloned ElevenLabs voice's id"
            className="max-w-xs flex-1"
          />
        </div>
      </div>
      <p className="muted">
        ▶ plays a short sample. Voices from your text-to-speech provider are spoken by the sandbox when no key is set.
      </p>
      {failed && (
        <p className="error" role="alert">
          The sample of {failed} could not be played.
        </p>
      )}
      {error && (
        <p id="voice-error" className="error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
