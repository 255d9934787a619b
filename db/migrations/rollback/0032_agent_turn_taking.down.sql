-- Reverses 0032: agents lose their turn-taking overrides (the engine defaults apply, as before).
ALTER TABLE agents DROP COLUMN IF EXISTS turn_taking;
