-- Reverses 0003: drops invitations, emailed codes, recovery codes and the 2FA / verification columns.
DROP POLICY IF EXISTS "maintenance_list" ON tenants;
DROP POLICY IF EXISTS "api_key_by_hash" ON api_keys;
DROP TABLE IF EXISTS invitations;
DROP TABLE IF EXISTS one_time_codes;
DROP TABLE IF EXISTS recovery_codes;
DROP INDEX IF EXISTS calls_tenant_from_index_idx;
ALTER TABLE calls DROP COLUMN IF EXISTS from_number_index;
ALTER TABLE sessions DROP COLUMN IF EXISTS two_factor_pending;
ALTER TABLE users DROP COLUMN IF EXISTS email_verified_at, DROP COLUMN IF EXISTS totp_key, DROP COLUMN IF EXISTS totp_enabled_at;
