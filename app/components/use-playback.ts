import { useCallback, useEffect, useRef, useState } from "react";

export const playbackRates = [1, 1.5, 2] as const;
export type Playback = ReturnType<typeof usePlayback>;

/**
 * The call page's one <audio>, shared by the player and the transcript: where it is (redrawn
 * every frame while it plays), its length, and seeking (held until the file's length is known).
 */
export function usePlayback(fallbackSeconds: number) {
  const audioRef = useRef<HTMLAudioElement>(null);
  const pending = useRef<number | null>(null);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(fallbackSeconds);
  const [playing, setPlaying] = useState(false);
  const [rate, setRateState] = useState<number>(1);

  useEffect(() => {
    const audio = audioRef.current;
    if (!audio) return;
    let frame = 0;
    const tick = () => {
      setTime(audio.currentTime);
      if (!audio.paused) frame = requestAnimationFrame(tick);
    };
    const ready = () => {
      if (Number.isFinite(audio.duration) && audio.duration > 0) setDuration(audio.duration);
      if (pending.current != null) {
        audio.currentTime = pending.current;
        pending.current = null;
      }
    };
    const play = () => {
      setPlaying(true);
      frame = requestAnimationFrame(tick);
    };
    const pause = () => {
      setPlaying(false);
      cancelAnimationFrame(frame);
      setTime(audio.currentTime);
    };
    const on: [string, () => void][] = [
      ["loadedmetadata", ready],
      ["durationchange", ready],
      ["play", play],
      ["pause", pause],
      ["ended", pause],
      ["seeked", tick],
    ];
    for (const [name, fn] of on) audio.addEventListener(name, fn);
    if (audio.readyState >= 1) ready();
    return () => {
      cancelAnimationFrame(frame);
      for (const [name, fn] of on) audio.removeEventListener(name, fn);
    };
  }, []);

  const seek = useCallback(
    (seconds: number) => {
      const audio = audioRef.current;
      if (!audio) return;
      const to = Math.max(0, Math.min(seconds, duration || seconds));
      setTime(to);
      if (audio.readyState >= 1) audio.currentTime = to;
      else {
        pending.current = to;
        audio.load();
      }
    },
    [duration],
  );
  const toggle = useCallback(() => {
    const audio = audioRef.current;
    if (!audio) return;
    if (audio.paused) void audio.play().catch(() => setPlaying(false));
    else audio.pause();
  }, []);
  const setRate = useCallback((r: number) => {
    if (audioRef.current) audioRef.current.playbackRate = r;
    setRateState(r);
  }, []);
  return { audioRef, time, duration, playing, rate, seek, toggle, setRate };
}
