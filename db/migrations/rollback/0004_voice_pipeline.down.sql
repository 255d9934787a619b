-- Reverses 0004: the per-turn timing and barge-in columns and the agent's conversation settings.
ALTER TABLE call_turns DROP COLUMN IF EXISTS end_offset_ms, DROP COLUMN IF EXISTS interrupted, DROP COLUMN IF EXISTS latency;
ALTER TABLE agents DROP COLUMN IF EXISTS language, DROP COLUMN IF EXISTS temperature, DROP COLUMN IF EXISTS interruption_sensitivity,
  DROP COLUMN IF EXISTS max_duration_seconds, DROP COLUMN IF EXISTS silence_timeout_seconds, DROP COLUMN IF EXISTS end_call_phrases;
