-- Reverses 0006: the agent's conversation mode.
ALTER TABLE agents DROP COLUMN IF EXISTS mode;
