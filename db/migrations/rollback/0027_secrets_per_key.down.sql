-- Reverses 0027: stored API answers keyed per API key and encrypted; key rotation's right to
-- re-seal versions' HTTP tool headers. The encrypted answers cannot be read back as JSON, so they go.
REVOKE UPDATE (settings) ON agent_versions FROM bvrai_app;
DROP POLICY IF EXISTS "maintenance_reseal" ON "agent_versions";
DELETE FROM idempotency_keys;
DROP INDEX IF EXISTS idempotency_keys_api_key_key;
ALTER TABLE idempotency_keys DROP CONSTRAINT IF EXISTS idempotency_keys_api_key_id_api_keys_id_fk;
ALTER TABLE idempotency_keys DROP COLUMN IF EXISTS api_key_id;
ALTER TABLE idempotency_keys ALTER COLUMN body SET DATA TYPE jsonb USING NULL;
CREATE UNIQUE INDEX idempotency_keys_tenant_key ON idempotency_keys USING btree (tenant_id, key);
