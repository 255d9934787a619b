-- Reverses 0010: the do-not-call list and outbound calls' variables and machine detection.
DROP TABLE IF EXISTS do_not_call;
ALTER TABLE calls DROP COLUMN IF EXISTS voicemail_message;
ALTER TABLE calls DROP COLUMN IF EXISTS machine_detection;
ALTER TABLE calls DROP COLUMN IF EXISTS variables;
