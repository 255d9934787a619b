-- Reverses 0019: agent versions and the version a call ran.
ALTER TABLE calls DROP COLUMN IF EXISTS agent_version;
DROP TABLE IF EXISTS agent_versions;
