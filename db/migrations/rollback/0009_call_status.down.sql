-- Reverses 0009: Twilio's status of each call.
ALTER TABLE calls DROP COLUMN IF EXISTS provider_duration_seconds;
ALTER TABLE calls DROP COLUMN IF EXISTS provider_status_rank;
ALTER TABLE calls DROP COLUMN IF EXISTS provider_status;
