-- Reverses 0008: tenants' Twilio accounts, number configuration state and the number limit.
ALTER TABLE phone_numbers DROP COLUMN IF EXISTS config_checked_at;
ALTER TABLE phone_numbers DROP COLUMN IF EXISTS config_drift;
ALTER TABLE phone_numbers DROP COLUMN IF EXISTS twilio_account_id;
ALTER TABLE phone_numbers DROP COLUMN IF EXISTS friendly_name;
ALTER TABLE tenants DROP COLUMN IF EXISTS max_phone_numbers;
DROP TABLE IF EXISTS twilio_accounts;
